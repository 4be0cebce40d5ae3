/**
 * The contract between the generic checker machinery and any protocol model
 * (the HEAL cluster, the Hermes TLA+ port, toy models in tests). The checker
 * never looks inside S or A: it only calls these functions, which is what lets
 * the explorer, a seeded random walk, a timed simulator and the replay of an
 * external trace all drive the same protocol code.
 */

/** Where a property must hold. */
export type PropertyScope =
  /** on every reachable state */
  | 'state'
  /** on every quiescent state (see Model.isQuiescent and Model.stutterCapable) */
  | 'quiescent'
  /** on every state with no enabled action */
  | 'terminal';

export interface Property<S> {
  /** Stable ID from spec/properties.md, e.g. "LIN", "DUR-SYNCH". */
  readonly id: string;
  readonly scope: PropertyScope;
  /** null when the property holds; otherwise a one-line explanation a person can act on. */
  check(s: S): string | null;
}

export interface Model<S, A> {
  readonly name: string;
  initialStates(): S[];
  /** Every enabled action, in a deterministic order. */
  actions(s: S): A[];
  /** Pure: never mutates s. */
  next(s: S, a: A): S;
  /**
   * Canonical, decodable encoding: two states that the protocol cannot tell apart
   * (for example, the same messages in flight in another order) give the same bytes.
   * The returned view may be overwritten by the next call: copy it to keep it.
   */
  encode(s: S): Uint8Array;
  decode(bytes: Uint8Array): S;
  /**
   * Optional symmetry reduction: a representative of the state's orbit. Must be
   * sound: every property gives the same verdict on s and on canonicalize(s).
   */
  canonicalize?(s: S): S;
  /**
   * Nothing pending, judged on the state alone: no work left except, possibly, enabled
   * actions that stutterCapable selects. Must not call encode (the explorer may be
   * holding the encoder's last view) nor need any successor: see stateIsQuiescent.
   */
  isQuiescent?(s: S): boolean;
  /**
   * Actions that may be enabled in a quiescent state provided they change nothing: under
   * duplicate delivery a message never leaves the network, so "nothing in flight" becomes
   * "re-delivering any message in flight leaves the state as it is". The explorer decides
   * this from the successors it computes anyway (their fingerprints against the state's
   * own), so no model needs to re-enter its encoder to know it. Absent: no such action.
   */
  stutterCapable?(a: A): boolean;
  readonly properties: readonly Property<S>[];
  /** One line, for progress, traces and replay output. */
  describeAction(a: A): string;
  /**
   * Optional: a coarse kind for an action (a client operation, the delivery of one message
   * type...). Swarm random walks (`swarm`) weight kinds per walk; without it every action
   * is of one kind and swarm walks are uniform.
   */
  actionKind?(a: A): string;
  /** Actions are plain JSON data so traces can store them; this gives a stable identity. */
  actionKey(a: A): string;
  /**
   * Optional: whether a stored action (from a trace file) has this model's action shape;
   * null when it has, else what is wrong. Replay then reports a corrupt trace as bad input.
   */
  checkAction?(raw: unknown): string | null;
  /** A readable JSON display of a state, used by replay to show what changed at each step. */
  display?(s: S): unknown;
  /** How to read the display (checker/trace/display-layout.ts); absent: every array is a sequence, nothing hidden. */
  readonly displayLayout?: DisplayLayout;
}

/**
 * Paths into a display are field names joined by dots, `[]` standing for any element of an
 * array: `messages`, `nodes[].pendingPersists`.
 */
export interface DisplayLayout {
  /** Arrays whose order means nothing (messages in flight): diffed as multisets, never by position. */
  readonly multisets?: readonly string[];
  /** The checker's own bookkeeping (monitors, ghost data, history): shown by replay only with --verbose. */
  readonly internals?: readonly string[];
  /** Top-level collections whose items replay names by their first field alone (`n0`, not `nodes[n0]`). */
  readonly entities?: readonly string[];
}

/**
 * How a worker thread (or any other process) rebuilds the same model: a module
 * that exports a factory, and the JSON-serialisable configuration to call it with.
 */
export interface ModelRef {
  /** Absolute file URL of the module. */
  readonly module: string;
  /** Name of the exported factory: (config) => Model. */
  readonly factory: string;
  readonly config: unknown;
}

/**
 * What the judge knows about a state; null: not known yet. Terminality depends on the
 * enabled actions and, with stutter-capable actions, quiescence on some successors, so
 * the explorer learns them when it expands the state (quiescence without stutter-capable
 * actions it learns from the state alone, when it admits it).
 */
export interface StateFacts {
  /** The state-scope properties are judged now (the explorer: when it admits the state). */
  readonly reached: boolean;
  readonly quiescent: boolean | null;
  readonly terminal: boolean | null;
}

/**
 * The one rule for which properties apply to a state: every search strategy, worker,
 * trace replay and test harness asks this, so the scopes cannot drift apart.
 */
export function propertyApplies(scope: PropertyScope, facts: StateFacts): boolean {
  switch (scope) {
    case 'state':
      return facts.reached;
    case 'quiescent':
      return facts.quiescent === true;
    case 'terminal':
      return facts.terminal === true;
    default: {
      const unreachable: never = scope;
      throw new Error(`unknown property scope ${String(unreachable)}`);
    }
  }
}

/** The first property (in the model's order) that applies and fails, or null. */
export function firstViolation<S>(
  properties: readonly Property<S>[],
  s: S,
  facts: StateFacts,
): { readonly property: string; readonly message: string } | null {
  for (const p of properties) {
    if (!propertyApplies(p.scope, facts)) continue;
    const message = p.check(s);
    if (message !== null) return { property: p.id, message };
  }
  return null;
}

/**
 * The one definition of quiescence: isQuiescent holds and every enabled stutter-capable
 * action leads back to s. `stutters(k)` answers for actions[k] and is asked only for
 * stutter-capable actions, and only when isQuiescent holds: the explorer compares the
 * successor's fingerprint with the state's own, a replay compares copied encodings.
 */
export function stateIsQuiescent<S, A>(model: Model<S, A>, s: S, actions: readonly A[], stutters: (k: number) => boolean): boolean {
  if (model.isQuiescent === undefined || !model.isQuiescent(s)) return false;
  const capable = model.stutterCapable;
  if (capable === undefined) return true;
  for (let k = 0; k < actions.length; k++) {
    if (capable.call(model, actions[k]) && !stutters(k)) return false;
  }
  return true;
}

/**
 * Everything known about a state, for judges other than the explorer (replay, shrinking,
 * test harnesses): each encoding is copied before the next call, as encode's contract
 * requires, so this costs a next() and two encodes per stutter-capable action.
 */
export function stateFacts<S, A>(model: Model<S, A>, s: S): StateFacts & { readonly actions: readonly A[] } {
  const actions = model.actions(s);
  let own: Uint8Array | null = null;
  const quiescent = stateIsQuiescent(model, s, actions, (k) => {
    own ??= model.encode(s).slice();
    const after = model.encode(model.next(s, actions[k]!));
    if (after.length !== own.length) return false;
    for (let i = 0; i < after.length; i++) if (after[i] !== own[i]) return false;
    return true;
  });
  return { reached: true, quiescent, terminal: actions.length === 0, actions };
}
