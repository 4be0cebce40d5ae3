/** The classic anomalies named after a search finds a failure (classify.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { casRegisterModel } from '../../spec/models/cas-register.ts';
import type { SeqModel } from '../../spec/models/types.ts';
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';
import { historyArbitrary } from './generate.ts';

const ev = (process: number, type: HistoryEvent['type'], f: string, value: HistoryValue): HistoryEvent => ({ process, type, f, value });
const model = casRegisterModel(0) as SeqModel<unknown>;
const check = (events: HistoryEvent[]) => checkOperations(buildOperations(events, model), model, { uniqueValuesFrom: Infinity });

describe('classic anomalies', () => {
  it('a stale read names the write read, the write that replaced it, and the read', () => {
    const r = check([ev(0, 'invoke', 'write', 1), ev(0, 'ok', 'write', 1), ev(0, 'invoke', 'write', 2), ev(0, 'ok', 'write', 2), ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 1)]);
    expect(r.anomaly).toMatchObject({ kind: 'stale-read', value: 1, other: 2 });
    expect(r.anomaly!.ops.map((op) => op.f)).toEqual(['write', 'write', 'read']);
  });

  it('a read of the initial value after a write replaced it is stale too', () => {
    const r = check([ev(0, 'invoke', 'write', 1), ev(0, 'ok', 'write', 1), ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 0)]);
    expect(r.anomaly).toMatchObject({ kind: 'stale-read', value: 0, other: 1 });
  });

  it('a read of a value never written, a cas from a value never held', () => {
    expect(check([ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 9)]).anomaly).toMatchObject({ kind: 'never-written', value: 9 });
    expect(check([ev(1, 'invoke', 'cas', [9, 1]), ev(1, 'ok', 'cas', [9, 1])]).anomaly).toMatchObject({ kind: 'cas-from-never-held', value: 9 });
  });

  it('on random failing histories, every anomaly named is true of the history', () => {
    let named = 0;
    fc.assert(
      fc.property(historyArbitrary('cas-register'), (events) => {
        const ops = buildOperations(events, model);
        const r = checkOperations(ops, model, { uniqueValuesFrom: Infinity });
        if (r.result !== 'illegal' || r.anomaly === undefined) return;
        named++;
        const a = r.anomaly;
        const setsValue = (op: (typeof ops)[number], v: HistoryValue) =>
          (op.f === 'write' && op.input === v) || (op.f === 'cas' && op.output !== false && (op.input as HistoryValue[])[1] === v);
        if (a.kind === 'never-written' || a.kind === 'cas-from-never-held') {
          expect(a.value).not.toBe(0);
          expect(ops.some((op) => op.id !== a.ops[0].id && setsValue(op, a.value))).toBe(false);
        } else if (a.kind === 'stale-read') {
          const read = a.ops[a.ops.length - 1];
          const overwrite = a.ops[a.ops.length - 2];
          expect(read.output).toBe(a.value);
          expect(overwrite.ret).toBeLessThan(read.call);
          for (const op of ops) if (op.id !== read.id && setsValue(op, a.value)) expect(op.ret).toBeLessThan(overwrite.call);
        }
      }),
      { numRuns: 1500, seed: 5 },
    );
    expect(named).toBeGreaterThan(50);
  });
});
