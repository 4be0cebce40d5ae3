/**
 * A tiny model for the trace tests: two counters a and b, each incremented up to `max`,
 * plus a reset of b. Property A-SMALL (state scope) fails once a reaches `limit`;
 * SETTLED (quiescent) fails when a quiescent state has a != b. `fixed: true` plays the
 * protocol fix: the property then never fails, so old traces stop reproducing.
 */
import type { Model } from '../../checker/model.ts';

export interface ToyState {
  readonly a: number;
  readonly b: number;
  readonly log: readonly string[];
}

export type ToyAction = { readonly kind: 'inc'; readonly counter: 'a' | 'b' } | { readonly kind: 'reset' };

export interface ToyConfig {
  readonly max: number;
  readonly limit: number;
  readonly fixed?: boolean;
}

export function createToyModel(config: ToyConfig): Model<ToyState, ToyAction> {
  if (typeof config?.max !== 'number') throw new Error("field 'max': expected a number");
  const bytes = new Uint8Array(2);
  return {
    name: 'toy',
    initialStates: () => [{ a: 0, b: 0, log: [] }],
    actions(s) {
      const out: ToyAction[] = [];
      if (s.a < config.max) out.push({ kind: 'inc', counter: 'a' });
      if (s.b < config.max) out.push({ kind: 'inc', counter: 'b' });
      if (s.b > 0) out.push({ kind: 'reset' });
      return out;
    },
    next(s, a) {
      if (a.kind === 'reset') return { ...s, b: 0, log: [...s.log, 'reset'] };
      return a.counter === 'a' ? { ...s, a: s.a + 1, log: [...s.log, 'a'] } : { ...s, b: s.b + 1, log: [...s.log, 'b'] };
    },
    encode(s) {
      bytes[0] = s.a;
      bytes[1] = s.b;
      return bytes;
    },
    decode: (b) => ({ a: b[0], b: b[1], log: [] }),
    isQuiescent: (s) => s.a === config.max,
    properties: [
      {
        id: 'A-SMALL',
        scope: 'state',
        check: (s) => (!config.fixed && s.a >= config.limit ? `a reached ${s.a} (limit ${config.limit})` : null),
      },
      {
        id: 'SETTLED',
        scope: 'quiescent',
        check: (s) => (!config.fixed && s.a !== s.b ? `quiescent with a=${s.a} b=${s.b}` : null),
      },
    ],
    describeAction: (a) => (a.kind === 'reset' ? 'reset b' : `increment ${a.counter}`),
    actionKey(a) {
      if (a.kind === 'reset') return 'reset';
      if (a.kind === 'inc' && (a.counter === 'a' || a.counter === 'b')) return `inc:${a.counter}`;
      throw new Error(`unknown action ${JSON.stringify(a)}`);
    },
    display: (s) => ({ counters: { a: s.a, b: s.b }, log: s.log }),
  };
}
