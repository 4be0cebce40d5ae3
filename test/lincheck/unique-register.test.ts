/**
 * The unique-values algorithm (unique-register.ts) against the general search,
 * which is its oracle: thousands of random register histories whose writes are
 * distinct, mostly linearizable with one corrupted read, with crashed (:info)
 * operations, reads of the initial value and Knossos nil reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { checkUniqueRegister } from '../../checker/lincheck/unique-register.ts';
import { registerModel } from '../../spec/models/register.ts';
import { casRegisterModel } from '../../spec/models/cas-register.ts';
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';
import { UNKNOWN } from '../../spec/models/types.ts';
import { longRegisterHistory } from './long-history.ts';

interface Step {
  readonly who: number;
  readonly act: number;
}

/** A register run by a simulation: invoke, take effect, return; some clients crash. */
function simulate(clients: number, steps: readonly Step[], corrupt: [number, number] | undefined, initial: HistoryValue): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const open = new Map<number, { f: string; value: HistoryValue; applied: boolean; result?: HistoryValue }>();
  const process = Array.from({ length: clients }, (_, i) => i);
  let next = clients;
  let register = initial;
  let written = 1;
  const values: HistoryValue[] = [initial];
  let reads = 0;
  for (const { who, act } of steps) {
    const slot = who % clients;
    const p = process[slot];
    const op = open.get(p);
    if (op === undefined) {
      const f = act % 2 === 0 ? 'write' : 'read';
      const value = f === 'write' ? written++ : null;
      if (f === 'write') values.push(value);
      open.set(p, { f, value, applied: false });
      events.push({ process: p, type: 'invoke', f, value });
    } else if (!op.applied && act % 4 !== 3) {
      op.applied = true;
      if (op.f === 'write') register = op.value;
      else {
        op.result = register;
        if (corrupt && (reads++ === corrupt[0] || act % 3 === 0)) {
          // Not the latest value: an older one, or the next one to be written (read before its write began).
          const older = values.slice(0, -1);
          const pick = (corrupt[1] + act) % (older.length + 1);
          op.result = pick < older.length ? older[pick] : written;
        }
        if (corrupt && act % 7 === 0) op.result = null; // a Knossos nil read, or a read of the initial nil
      }
    } else if (op.applied || act % 4 === 3) {
      open.delete(p);
      if (act % 5 === 4) {
        events.push({ process: p, type: 'info', f: op.f, value: op.value });
        process[slot] = next++;
      } else if (op.applied) events.push({ process: p, type: 'ok', f: op.f, value: op.f === 'write' ? op.value : op.result! });
      else {
        // Returned before taking effect: fail (did not happen).
        events.push({ process: p, type: 'fail', f: op.f, value: op.value });
      }
    }
  }
  return events;
}

const historyArb = fc.record({
  clients: fc.integer({ min: 1, max: 5 }),
  steps: fc.array(fc.record({ who: fc.nat(9), act: fc.nat(69) }), { minLength: 4, maxLength: 60, size: 'max' }),
  corrupt: fc.option(fc.tuple(fc.nat(6), fc.nat(12)), { nil: undefined }),
  initial: fc.constantFrom<HistoryValue>(null, 0),
  knossos: fc.boolean(),
});

describe('registers with distinct written values, decided without search', () => {
  it('agree with the general search on random histories', () => {
    const seen = { ok: 0, illegal: 0, info: 0 };
    fc.assert(
      fc.property(historyArb, ({ clients, steps, corrupt, initial, knossos }) => {
        const events = simulate(clients, steps, corrupt, initial);
        const model = registerModel(initial);
        const ops = buildOperations(events, model, { semantics: knossos ? 'knossos' : 'porcupine' });
        const fast = checkUniqueRegister(ops, model).verdict;
        expect(fast).not.toBe('not-applicable');
        const search = checkOperations(ops, model, { explain: false, uniqueValuesFrom: Infinity }).result;
        expect(fast).toBe(search);
        seen[search === 'ok' ? 'ok' : 'illegal']++;
        if (ops.some((op) => op.ret === Infinity)) seen.info++;
      }),
      { numRuns: 4000 },
    );
    expect(seen.ok).toBeGreaterThan(500);
    expect(seen.illegal).toBeGreaterThan(500);
    expect(seen.info).toBeGreaterThan(500);
  });

  it('declines what it cannot decide: a value written twice, cas, the initial value written again', () => {
    const ev = (process: number, type: HistoryEvent['type'], f: string, value: HistoryValue): HistoryEvent => ({ process, type, f, value });
    const twice = [ev(0, 'invoke', 'write', 1), ev(0, 'ok', 'write', 1), ev(0, 'invoke', 'write', 1), ev(0, 'ok', 'write', 1)];
    expect(checkUniqueRegister(buildOperations(twice, registerModel()), registerModel()).verdict).toBe('not-applicable');
    const cas = [ev(0, 'invoke', 'cas', [null, 1]), ev(0, 'ok', 'cas', [null, 1])];
    expect(checkUniqueRegister(buildOperations(cas, casRegisterModel()), casRegisterModel()).verdict).toBe('not-applicable');
    const initialAgain = [ev(0, 'invoke', 'write', 0), ev(0, 'ok', 'write', 0)];
    expect(checkUniqueRegister(buildOperations(initialAgain, registerModel(0)), registerModel(0)).verdict).toBe('not-applicable');
  });

  it('decides a 100,000-operation history of 100 clients, which the search cannot', () => {
    const model = registerModel();
    const ops = buildOperations(longRegisterHistory({ ops: 100_000, clients: 100, seed: 9 }), model, { validate: false });
    expect(checkOperations(ops, model, { explain: false }).result).toBe('ok');
    expect(checkOperations(ops, model, { explain: false, uniqueValuesFrom: Infinity, timeoutMs: 1000 }).result).toBe('unknown');
    const stale = buildOperations(longRegisterHistory({ ops: 100_000, clients: 100, seed: 9, staleAt: 50_000 }), model, { validate: false });
    expect(checkOperations(stale, model, { explain: false }).result).toBe('illegal');
  }, 60_000);
});

describe('the anomaly named when distinct values are not linearizable', () => {
  const ev = (process: number, type: HistoryEvent['type'], f: string, value: HistoryValue): HistoryEvent => ({ process, type, f, value });
  const anomaly = (events: HistoryEvent[]) => {
    const r = checkUniqueRegister(buildOperations(events, registerModel(0)), registerModel(0));
    if (r.verdict !== 'illegal') throw new Error(`expected illegal, got ${r.verdict}`);
    return { kind: r.anomaly.kind, ops: r.anomaly.ops.map((op) => `${op.f} ${String(op.output === UNKNOWN ? op.input : op.output)}`), value: r.anomaly.value, other: r.anomaly.other };
  };

  it('a read of a value never written', () => {
    expect(anomaly([ev(0, 'invoke', 'read', null), ev(0, 'ok', 'read', 7)])).toMatchObject({ kind: 'never-written', value: 7, ops: ['read 7'] });
  });

  it('a read of a value before its write began', () => {
    const events = [ev(0, 'invoke', 'read', null), ev(0, 'ok', 'read', 1), ev(1, 'invoke', 'write', 1), ev(1, 'ok', 'write', 1)];
    expect(anomaly(events)).toMatchObject({ kind: 'read-before-write', value: 1 });
  });

  it('a stale read: 1 read again after 2 replaced it', () => {
    const events = [
      ev(0, 'invoke', 'write', 1), ev(0, 'ok', 'write', 1),
      ev(0, 'invoke', 'write', 2), ev(0, 'ok', 'write', 2),
      ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 2),
      ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 1),
    ];
    // 1 must hold from its write returning to the stale read's invocation; 2 from its write returning to its read.
    expect(anomaly(events)).toMatchObject({ kind: 'overlapping-values', value: 1, other: 2, ops: ['write 1', 'read 1', 'write 2', 'read 2'] });
  });

  it('a value written and read entirely while another had to hold', () => {
    const events = [
      ev(0, 'invoke', 'write', 1), ev(0, 'ok', 'write', 1),
      ev(0, 'invoke', 'write', 2), ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 2), ev(0, 'ok', 'write', 2),
      ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 1),
    ];
    expect(anomaly(events)).toMatchObject({ kind: 'value-inside-another', value: 2, other: 1, ops: ['write 1', 'read 2', 'read 2', 'read 1'] });
  });

  it('two values each read after the other replaced it', () => {
    const events = [
      ev(0, 'invoke', 'write', 1), ev(1, 'invoke', 'write', 2), ev(0, 'ok', 'write', 1), ev(1, 'ok', 'write', 2),
      ev(2, 'invoke', 'read', null), ev(2, 'ok', 'read', 1),
      ev(3, 'invoke', 'read', null), ev(3, 'ok', 'read', 2),
      ev(2, 'invoke', 'read', null), ev(2, 'ok', 'read', 1),
    ];
    expect(anomaly(events)).toMatchObject({ kind: 'overlapping-values', value: 1, other: 2 });
  });
});
