/**
 * The online linearizability monitor decides LIN exactly: on hand-made histories, and
 * on every prefix of random walks of the cluster (with and without a mutant that breaks
 * LIN, with crashes leaving writes indeterminate) it agrees with the project's
 * linearizability checker run on the full history.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEvents } from '../../checker/lincheck/check.ts';
import { historyOf, type ClusterConfig } from '../../src/cluster/index.ts';
import { completeWrite, initialLin, invokeWrite, isLinearizable, read, type KeyLin } from '../../src/cluster/lin-monitor.ts';
import { PERSISTENCIES, hasScopeEnds } from '../../src/protocol/persistency/index.ts';
import { RECOVERIES } from '../../src/protocol/recovery/index.ts';
import { healStoreModel } from '../../spec/models/heal-store.ts';
import { config, statesAlong } from './harness.ts';

const start = (): KeyLin => initialLin(1)[0]!;

describe('the register monitor', () => {
  it('accepts a read of the initial value, and of a write once it returned', () => {
    let k = read(start(), 0);
    k = invokeWrite(k, 0, 1);
    k = completeWrite(k, 0);
    expect(isLinearizable(read(k, 1))).toBe(true);
    expect(isLinearizable(read(k, 0))).toBe(false);
  });

  it('lets a pending write take effect or not, but not be undone', () => {
    let k = invokeWrite(start(), 0, 1);
    expect(isLinearizable(read(k, 0))).toBe(true);
    expect(isLinearizable(read(k, 1))).toBe(true);
    k = read(k, 1);
    expect(isLinearizable(read(k, 0))).toBe(false);
    expect(isLinearizable(completeWrite(k, 0))).toBe(true);
  });

  it('orders concurrent writes either way, then keeps to the order a read saw', () => {
    let k = invokeWrite(invokeWrite(start(), 3, 2), 1, 1);
    k = read(k, 2);
    k = read(k, 1);
    expect(isLinearizable(k)).toBe(true);
    expect(isLinearizable(read(k, 2))).toBe(false);
    // Both writes linearized (1 after 2): completing them in any order keeps value 1.
    k = completeWrite(completeWrite(k, 1), 3);
    expect(k.pending).toEqual([]);
    expect(k.configs).toEqual([{ value: 1, done: 0 }]);
  });

  it('has one representation for the same set: pending writes sorted by process', () => {
    const a = invokeWrite(invokeWrite(start(), 0, 1), 4, 2);
    const b = invokeWrite(invokeWrite(start(), 4, 2), 0, 1);
    expect(b).toEqual(a);
  });

  it('rejects malformed event sequences', () => {
    expect(() => completeWrite(start(), 0)).toThrow(/never invoked/);
    expect(() => invokeWrite(invokeWrite(start(), 0, 1), 0, 2)).toThrow(/while one is pending/);
  });
});

describe('the monitor agrees with the linearizability checker on cluster histories', () => {
  const store = healStoreModel(0);
  const combos = PERSISTENCIES.flatMap((persistency) => RECOVERIES.map((recovery) => ({ persistency, recovery })));

  for (const mutant of [null, 'read-invalid'] as const) {
    it(`on every prefix of random walks, all persistency x recovery, mutant ${mutant ?? 'none'}`, () => {
      const verdicts = { ok: 0, illegal: 0 };
      fc.assert(
        fc.property(fc.nat({ max: combos.length - 1 }), fc.array(fc.nat({ max: 999 }), { minLength: 5, maxLength: 60 }), (which, choices) => {
          const cfg: ClusterConfig = config({
            ...combos[which]!, writes: 3, reads: 3, crashes: 2, scopes: hasScopeEnds(combos[which]!.persistency) ? 1 : 0, mutant,
          });
          for (const s of statesAlong(cfg, choices).slice(1)) {
            const checker = checkEvents(historyOf(s), store, { explain: false }).result;
            const monitor = s.lin.every(isLinearizable) ? 'ok' : 'illegal';
            expect(monitor).toBe(checker);
            verdicts[monitor]++;
          }
        }),
        { seed: mutant === null ? 7 : 8, numRuns: 400 },
      );
      expect(verdicts.ok).toBeGreaterThan(0);
      if (mutant !== null) expect(verdicts.illegal).toBeGreaterThan(0);
    });
  }
});
