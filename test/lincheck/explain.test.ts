import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildOperations, type Operation } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { casRegisterModel } from '../../spec/models/cas-register.ts';
import { ILLEGAL, UNKNOWN, type SeqModel } from '../../spec/models/types.ts';
import { bruteForceLinearizable } from './brute-force.ts';
import { historyArbitrary } from './generate.ts';

/** The history as it stood at time t, computed independently of explain.ts. */
const cut = (ops: readonly Operation[], t: number): Operation[] =>
  ops.filter((op) => op.call <= t).map((op) => (op.ret <= t ? op : { ...op, output: UNKNOWN, ret: Infinity }));

describe('explanations', () => {
  it('blocked op is exactly where the history stops being linearizable; the partial linearization is legal', () => {
    const model = casRegisterModel() as SeqModel<unknown>;
    let explained = 0;
    fc.assert(
      fc.property(historyArbitrary('cas-register'), (events) => {
        const ops = buildOperations(events, model);
        const r = checkOperations(ops, model);
        if (r.result !== 'illegal') return;
        explained++;
        const e = r.explanation!;
        expect(e.minimal).toBe(true);
        const ret = e.blocked.ret;
        expect(bruteForceLinearizable(cut(ops, ret), model)).toBe(false);
        expect(bruteForceLinearizable(cut(ops, ret - 1), model)).toBe(true);
        expect(e.window.map((op) => op.id)).toContain(e.blocked.id);
        for (const op of e.window) expect(op.id === e.blocked.id || (op.call < ret && op.ret > e.blocked.call)).toBe(true);
        let state = model.init();
        for (const [i, op] of e.longest.entries()) {
          const output = op.ret <= ret ? op.output : UNKNOWN;
          const next = model.ops[op.f].step(state, op.input, output);
          expect(next).not.toBe(ILLEGAL);
          state = next;
          for (const later of e.longest.slice(i + 1)) expect(later.ret > op.call || later.ret > ret).toBe(true);
        }
      }),
      { numRuns: 800, seed: 3 },
    );
    expect(explained).toBeGreaterThan(100);
  });
});
