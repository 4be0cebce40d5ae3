/**
 * The encoding's reductions of ghost state: the client history is replaced by the
 * linearizability monitor (lin-monitor.ts), and the ghost guarantee records are a set.
 * Sound because LIN is the only reader of the history, the monitor decides it exactly
 * (test/cluster/lin-monitor.test.ts), and the ghost properties check each record on its
 * own; checked here on the encoding, and end to end on every mutant (the searches with
 * and without the reductions agree, the unreduced one confirming every LIN verdict with
 * the linearizability checker). canonicalHistory, which keys the checker's memo, is
 * checked here too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import { checkEvents } from '../../checker/lincheck/check.ts';
import { createHealModel } from '../../model/heal.ts';
import { decode, encode, historyOf, initialState, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { canonicalHistory, historyKey } from '../../src/cluster/history.ts';
import type { HistEntry } from '../../src/cluster/state.ts';
import { mutants } from '../../src/mutants.ts';
import { healStoreModel } from '../../spec/models/heal-store.ts';
import { config, statesAlong } from './harness.ts';
import { withoutReductions } from './unreduced-model.ts';
import { mutantBounds } from '../../model/heal-bounds.ts';
import { RECOVERIES } from '../../src/protocol/recovery/index.ts';
import { hasScopeEnds } from '../../src/protocol/persistency/index.ts';

const inv = (p: number, f: 0 | 1, value: number, key = 0): HistEntry => ({ p, type: 0, f, key, value: f === 0 ? -1 : value });
const ok = (p: number, f: 0 | 1, value: number, key = 0): HistEntry => ({ p, type: 1, f, key, value });

/** The history with every run of same-type events permuted by the given choices. */
function permuteRuns(history: readonly HistEntry[], choices: readonly number[]): HistEntry[] {
  const out = history.slice();
  let c = 0;
  for (let start = 0; start < out.length;) {
    let end = start + 1;
    while (end < out.length && out[end]!.type === out[start]!.type) end++;
    for (let i = end - 1; i > start; i--) {
      const j = start + ((choices[c++ % Math.max(1, choices.length)] ?? 0) % (i - start + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    start = end;
  }
  return out;
}

const linVerdict = (s: ClusterState) => checkEvents(historyOf(s), healStoreModel(0), { explain: false, timeoutMs: 10_000 }).result;

describe('canonicalHistory', () => {
  it('sorts each run of invocations and of completions by process, keeping run boundaries', () => {
    const h = [inv(2, 1, 1), inv(0, 1, 2), ok(2, 1, 1), inv(1, 0, 0), ok(1, 0, 1), ok(0, 1, 2)];
    expect(canonicalHistory(h)).toEqual([inv(0, 1, 2), inv(2, 1, 1), ok(2, 1, 1), inv(1, 0, 0), ok(0, 1, 2), ok(1, 0, 1)]);
    expect(h[0]).toEqual(inv(2, 1, 1));
  });

  it('returns a canonical history itself, and is idempotent', () => {
    const h = [inv(0, 1, 1), inv(1, 1, 2), ok(1, 1, 2)];
    expect(canonicalHistory(h)).toBe(h);
    const c = canonicalHistory([inv(1, 1, 2), inv(0, 1, 1), ok(1, 1, 2)]);
    expect(canonicalHistory(c)).toBe(c);
    expect(historyKey(c)).toBe(historyKey(h));
    expect(historyKey([inv(1, 1, 1), inv(0, 1, 2)])).not.toBe(historyKey(h.slice(0, 2)));
  });
});

describe('the history-order reduction is sound', () => {
  const cfg = config({ persistency: 'eventual', recovery: 'heal', writes: 4, reads: 3, crashes: 2, nodes: 3 });

  it('LIN gives the same verdict on every permutation inside runs (walk histories, including illegal ones)', () => {
    const mutantCfg = { ...cfg, mutant: 'read-invalid' as const };
    let illegal = 0;
    let permuted = 0;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 999 }), { minLength: 5, maxLength: 40 }), fc.array(fc.nat({ max: 99 }), { minLength: 1, maxLength: 8 }), (choices, perm) => {
        for (const c of [cfg, mutantCfg]) {
          const states = statesAlong(c, choices).slice(1);
          const s = states[states.length - 1];
          if (s === undefined) continue;
          const verdict = linVerdict(s);
          if (verdict === 'illegal') illegal++;
          const other = { ...s, history: permuteRuns(s.history!, perm) };
          if (JSON.stringify(other.history) !== JSON.stringify(s.history)) permuted++;
          expect(linVerdict(other)).toBe(verdict);
          expect(Buffer.from(encode(other))).toEqual(Buffer.from(encode(s)));
        }
      }),
      { seed: 21, numRuns: 150 },
    );
    // The property must have been exercised on both verdicts and on real reorderings.
    expect(illegal).toBeGreaterThan(0);
    expect(permuted).toBeGreaterThan(0);
  });

  it('decode keeps the linearizability monitor and drops the history log', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 40 }), (choices) => {
        for (const s of statesAlong(cfg, choices).slice(1)) {
          const d = decode(cfg, encode(s));
          expect(d.lin).toEqual(s.lin);
          expect(d.history).toBeNull();
        }
      }),
      { seed: 4, numRuns: 40 },
    );
  });

  const explored = async (c: ClusterConfig, raw: boolean, maxStates: number) => {
    const model = createHealModel(c);
    return explore(raw ? withoutReductions(model) : model, { strategy: 'bfs', seed: 1, workers: 1, symmetry: false, maxStates });
  };

  for (const [persistency, recovery] of [['eventual', 'fullcopy'], ['synch', 'heal']] as const) {
    it(`a complete search finds the same verdict in fewer states (2 nodes, ${persistency} x ${recovery})`, async () => {
      const c = config({ nodes: 2, persistency, recovery });
      const reduced = await explored(c, false, 100_000);
      const full = await explored(c, true, 100_000);
      expect(reduced.result).toBe('ok');
      expect(full.result).toBe('ok');
      expect(reduced.distinctStates).toBeLessThan(full.distinctStates);
    });
  }

  it('ghost guarantee records encode as a set: order, duplicates and empty records do not count', () => {
    const c = config({ persistency: 'synch' });
    const s = initialState(c);
    const a = { key: 0, ts: 257, members: 0b011 };
    const b = { key: 0, ts: 513, members: 0b110 };
    const bytes = Buffer.from(encode({ ...s, ghostDurable: [a, b] }));
    expect(Buffer.from(encode({ ...s, ghostDurable: [b, a] }))).toEqual(bytes);
    expect(Buffer.from(encode({ ...s, ghostDurable: [b, { key: 0, ts: 769, members: 0 }, a, b] }))).toEqual(bytes);
    expect(Buffer.from(encode({ ...s, ghostDurable: [a] }))).not.toEqual(bytes);
    expect(decode(c, bytes).ghostDurable).toEqual([a, b]);
  });

  for (const m of mutants) {
    const bounds = mutantBounds(m);
    // mu-no-ts-compare's first violation is cheapest under Synchronous (453k states against ~1.5M).
    const persistency = m.appliesTo.persistency?.[0] ?? (m.name === 'mu-no-ts-compare' ? 'synch' : 'eventual');
    for (const recovery of m.appliesTo.recovery ?? RECOVERIES) {
      it(`same verdict with and without the reductions: ${m.name} (${persistency} x ${recovery})`, async () => {
        // At most 3 nodes: without the reductions a 4-node space outgrows the 40k-state budget.
        const c = config({ persistency, recovery, mutant: m.name, ...bounds, nodes: Math.min(bounds.nodes, 3), scopes: hasScopeEnds(persistency) ? bounds.scopes : 0 });
        const reduced = await explored(c, false, 40_000);
        const full = await explored(c, true, 40_000);
        expect(reduced.result).toBe(full.result);
        expect(reduced.counterexample?.property).toBe(full.counterexample?.property);
        expect(reduced.counterexample?.actions.length).toBe(full.counterexample?.actions.length);
      });
    }
  }
});
