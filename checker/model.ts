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
  /** on every quiescent state (see Model.isQuiescent) */
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
  /** Nothing in flight, nothing pending: the quiescent properties apply. */
  isQuiescent?(s: S): boolean;
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
  /** A readable JSON view of a state, used by replay to show what changed at each step. */
  view?(s: S): unknown;
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
