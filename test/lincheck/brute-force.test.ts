import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { casRegisterModel } from '../../spec/models/cas-register.ts';
import { kvModel } from '../../spec/models/kv.ts';
import { registerModel } from '../../spec/models/register.ts';
import type { SeqModel } from '../../spec/models/types.ts';
import { bruteForceLinearizable } from './brute-force.ts';
import { historyArbitrary, type Flavor } from './generate.ts';

const cases: [Flavor, SeqModel<unknown>][] = [
  ['cas-register', casRegisterModel() as SeqModel<unknown>],
  ['kv', kvModel() as SeqModel<unknown>],
  ['register0', registerModel(0) as SeqModel<unknown>],
];

describe('checker agrees with brute force on random small histories', () => {
  for (const [flavor, model] of cases) {
    it(`${flavor}`, () => {
      const seen = { ok: 0, illegal: 0, indeterminate: 0 };
      fc.assert(
        fc.property(historyArbitrary(flavor), (events) => {
          const ops = buildOperations(events, model);
          const expected = bruteForceLinearizable(ops, model);
          const got = checkOperations(ops, model);
          if (expected) seen.ok++;
          else seen.illegal++;
          if (ops.some((op) => op.ret === Infinity)) seen.indeterminate++;
          expect(got.result).toBe(expected ? 'ok' : 'illegal');
          if (flavor !== 'kv') {
            // one object: the unpartitioned search must agree with the partitioned one
            expect(checkOperations(ops, model, { partition: false, explain: false }).result).toBe(got.result);
          }
        }),
        { numRuns: 1500, seed: 42 },
      );
      // the generator must exercise both verdicts and indeterminate operations, or the comparison means little
      expect(seen.ok).toBeGreaterThan(150);
      expect(seen.illegal).toBeGreaterThan(150);
      expect(seen.indeterminate).toBeGreaterThan(150);
    });
  }

  it('a linearization returned for ok histories replays legally in real-time order', () => {
    const model = casRegisterModel() as SeqModel<unknown>;
    fc.assert(
      fc.property(historyArbitrary('cas-register'), (events) => {
        const ops = buildOperations(events, model);
        const r = checkOperations(ops, model);
        if (r.result !== 'ok') return;
        const order = r.linearizations!.flat().map((id) => ops[id]);
        let state = model.init();
        for (const [i, op] of order.entries()) {
          const next = model.ops[op.f].step(state, op.input, op.output);
          expect(typeof next).not.toBe('symbol');
          state = next;
          // nothing later in the order returned before this one was invoked
          for (const later of order.slice(i + 1)) expect(later.ret > op.call).toBe(true);
        }
        const placed = new Set(order.map((op) => op.id));
        for (const op of ops) if (op.ret !== Infinity) expect(placed.has(op.id)).toBe(true);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
