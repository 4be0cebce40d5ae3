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
