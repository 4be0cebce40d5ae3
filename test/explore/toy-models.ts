/**
 * Small models with state counts known in closed form, used to test the explorer. They
 * are also loaded by worker threads through a ModelRef, so the factories take JSON config.
 */
import type { Model, ModelRef, Property } from '../../checker/model.ts';

export interface GridConfig {
  /** x and y each range over 0..k: (k+1)^2 states, diameter 2k. */
  readonly k: number;
  /** Plant a violation of NOT-SUM at every state with x + y = badSum (depth badSum). */
  readonly badSum?: number;
  /** Fail TERMINAL at the only terminal state (k, k). */
  readonly failTerminal?: boolean;
  /** States with x = y are quiescent; fail QUIESCENT at (q, q). */
  readonly badQuiescent?: number;
}

export type GridAction = 'x+' | 'y+';
export interface GridState {
  readonly x: number;
  readonly y: number;
}

export function createGrid(config: GridConfig): Model<GridState, GridAction> {
  const { k } = config;
  const properties: Property<GridState>[] = [];
  if (config.badSum !== undefined) {
    const bad = config.badSum;
    properties.push({ id: 'NOT-SUM', scope: 'state', check: (s) => (s.x + s.y === bad ? `x + y = ${bad}` : null) });
  }
  if (config.failTerminal) {
    properties.push({ id: 'TERMINAL', scope: 'terminal', check: (s) => `terminal at (${s.x}, ${s.y})` });
  }
  if (config.badQuiescent !== undefined) {
    const q = config.badQuiescent;
    properties.push({ id: 'QUIESCENT', scope: 'quiescent', check: (s) => (s.x === q ? `quiescent at (${q}, ${q})` : null) });
  }
  const buffer = new Uint8Array(8);
  const view = new DataView(buffer.buffer);
  return {
    name: `grid(${k})`,
    initialStates: () => [{ x: 0, y: 0 }],
    actions: (s) => {
      const out: GridAction[] = [];
      if (s.x < k) out.push('x+');
      if (s.y < k) out.push('y+');
      return out;
    },
    next: (s, a) => (a === 'x+' ? { x: s.x + 1, y: s.y } : { x: s.x, y: s.y + 1 }),
    encode: (s) => {
      view.setUint32(0, s.x);
      view.setUint32(4, s.y);
      return buffer;
    },
    decode: (bytes) => {
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { x: v.getUint32(0), y: v.getUint32(4) };
    },
    isQuiescent: (s) => s.x === s.y,
    properties,
    describeAction: (a) => a,
    actionKey: (a) => a,
  };
}

export interface TokensConfig {
  /** n interchangeable tokens, each a counter 0..k. */
  readonly n: number;
  readonly k: number;
  /** Plant a (symmetric) violation when the tokens sum to badSum. */
  readonly badSum?: number;
  /** Plant a violation when token 0 alone reaches k: NOT symmetric, for negative tests. */
  readonly asymmetricBad?: boolean;
}

export interface TokensAction {
  readonly inc: number;
}

export function createTokens(config: TokensConfig): Model<number[], TokensAction> {
  const { n, k } = config;
  const properties: Property<number[]>[] = [];
  if (config.badSum !== undefined) {
    const bad = config.badSum;
    properties.push({ id: 'SUM', scope: 'state', check: (s) => (s.reduce((a, b) => a + b, 0) === bad ? `tokens sum to ${bad}` : null) });
  }
  return {
    name: `tokens(${n}, ${k})`,
    initialStates: () => [new Array<number>(n).fill(0)],
    actions: (s) => {
      const out: TokensAction[] = [];
      for (let i = 0; i < n; i++) if (s[i] < k) out.push({ inc: i });
      return out;
    },
    next: (s, a) => s.map((v, i) => (i === a.inc ? v + 1 : v)),
    encode: (s) => Uint8Array.from(s),
    decode: (bytes) => Array.from(bytes),
    // Tokens are interchangeable: the sorted vector represents the orbit.
    canonicalize: (s) => [...s].sort((a, b) => a - b),
    properties,
    describeAction: (a) => `inc ${a.inc}`,
    actionKey: (a) => `inc:${a.inc}`,
  };
}

export function gridRef(config: GridConfig): ModelRef {
  return { module: new URL('./toy-models.ts', import.meta.url).href, factory: 'createGrid', config };
}

export function tokensRef(config: TokensConfig): ModelRef {
  return { module: new URL('./toy-models.ts', import.meta.url).href, factory: 'createTokens', config };
}

/** Re-executes a counterexample and returns the final state (throws if an action is not enabled). */
export function replayActions<S, A>(model: Model<S, A>, initialIndex: number, actions: readonly unknown[]): S {
  let s = model.initialStates()[initialIndex];
  for (const a of actions) {
    const key = model.actionKey(a as A);
    const enabled = model.actions(s).find((b) => model.actionKey(b) === key);
    if (enabled === undefined) throw new Error(`action ${key} is not enabled`);
    s = model.next(s, enabled);
  }
  return s;
}

export interface MailboxConfig {
  /** Values 1..n may each be sent once; a message stays in the network once sent. */
  readonly n: number;
  /** Fail SETTLED at a quiescent state whose register holds this value (depth 2). */
  readonly badSettled?: number;
  /** Fail CROWDED at every state with this many values sent (a state property). */
  readonly badCrowd?: number;
  /**
   * Encode into one shared buffer (as the HEAL encoder does), and have a state property
   * and the quiescence predicate call encode on another state: against the contract's
   * spirit, but the explorer must survive it (it never holds the encoder's output while
   * anything is judged). Without it, every encode returns a fresh array.
   */
  readonly clobber?: boolean;
}

export type MailboxAction = { readonly kind: 'send'; readonly v: number } | { readonly kind: 'deliver'; readonly v: number };
export interface MailboxState {
  /** The register: the largest value delivered (0: none). */
  readonly reg: number;
  /** Bit v: value v was sent (and, duplicates allowed, is still in flight). */
  readonly sent: number;
}

const popcount = (x: number): number => {
  let c = 0;
  for (; x !== 0; x &= x - 1) c++;
  return c;
};

/**
 * Duplicate delivery in miniature: delivering v sets the register to max(reg, v) and
 * leaves the message in flight, so a delivery can stutter. A state is quiescent when
 * every delivery stutters, that is when reg is the largest value sent, which only the
 * successors show (isQuiescent says "nothing else pending", and deliveries are marked
 * stutter-capable). 2^n + n 2^(n-1) states: a set of sent values, and reg 0 or one of them.
 */
export function createMailbox(config: MailboxConfig): Model<MailboxState, MailboxAction> {
  const { n } = config;
  const shared = new Uint8Array(8);
  const encodeInto = (bytes: Uint8Array, s: MailboxState): Uint8Array => {
    new DataView(bytes.buffer, bytes.byteOffset, 8).setUint32(0, s.reg);
    new DataView(bytes.buffer, bytes.byteOffset, 8).setUint32(4, s.sent);
    return bytes;
  };
  const encode = (s: MailboxState): Uint8Array => encodeInto(config.clobber ? shared : new Uint8Array(8), s);
  const scribble = (s: MailboxState): void => {
    if (config.clobber) encode({ reg: s.reg ^ 0x5a, sent: ~s.sent });
  };
  const properties: Property<MailboxState>[] = [
    {
      id: 'REG-SENT',
      scope: 'state',
      check: (s) => {
        scribble(s);
        return s.reg === 0 || (s.sent >>> s.reg) & 1 ? null : `register ${s.reg} was never sent`;
      },
    },
  ];
  if (config.badCrowd !== undefined) {
    const c = config.badCrowd;
    properties.push({ id: 'CROWDED', scope: 'state', check: (s) => (popcount(s.sent) === c ? `${c} values sent` : null) });
  }
  if (config.badSettled !== undefined) {
    const bad = config.badSettled;
    properties.push({ id: 'SETTLED', scope: 'quiescent', check: (s) => (s.reg === bad ? `settled at ${bad}` : null) });
  }
  return {
    name: `mailbox(${n})`,
    initialStates: () => [{ reg: 0, sent: 0 }],
    actions: (s) => {
      const out: MailboxAction[] = [];
      for (let v = 1; v <= n; v++) out.push({ kind: (s.sent >>> v) & 1 ? 'deliver' : 'send', v });
      return out;
    },
    next: (s, a) => (a.kind === 'send' ? { reg: s.reg, sent: s.sent | (1 << a.v) } : { reg: Math.max(s.reg, a.v), sent: s.sent }),
    encode,
    decode: (bytes) => {
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { reg: v.getUint32(0), sent: v.getUint32(4) };
    },
    isQuiescent: (s) => {
      scribble(s);
      return true;
    },
    stutterCapable: (a) => a.kind === 'deliver',
    properties,
    describeAction: (a) => `${a.kind} ${a.v}`,
    actionKey: (a) => `${a.kind}:${a.v}`,
  };
}

export function mailboxRef(config: MailboxConfig): ModelRef {
  return { module: new URL('./toy-models.ts', import.meta.url).href, factory: 'createMailbox', config };
}
