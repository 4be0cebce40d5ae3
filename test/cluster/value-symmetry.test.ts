/**
 * Value symmetry (src/cluster/value-symmetry.ts): runs that differ only in which write
 * got which value share a representative, the representative is in the orbit (a bijection
 * on the written values), and a complete search finds the same verdict in fewer states.
 * Same verdict and shortest counterexample length on every mutant: test/mutants/mutants.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import { createHealModel } from '../../model/heal.ts';
import { encode, initialState, next, type ClusterAction, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { canonicalValues } from '../../src/cluster/value-symmetry.ts';
import { config, statesAlong } from './harness.ts';

const bytes = (s: ClusterState) => Buffer.from(encode(s)).toString('hex');

function concurrentWrites(cfg: ClusterConfig, first: number, second: number): ClusterState {
  let s = initialState(cfg);
  const step = (a: ClusterAction) => (s = next(cfg, s, a));
  step({ kind: 'write', node: first, key: 0 });
  step({ kind: 'write', node: second, key: 0 });
  return s;
}

describe('value symmetry', () => {
  const cfg = config({ crashes: 0 });

  it('two concurrent writes issued in either order share one representative', () => {
    const a = concurrentWrites(cfg, 0, 1);
    const b = concurrentWrites(cfg, 1, 0);
    expect(bytes(a)).not.toBe(bytes(b));
    expect(bytes(canonicalValues(cfg, a))).toBe(bytes(canonicalValues(cfg, b)));
  });

  it('renames written values by a bijection and is idempotent', () => {
    const c = config({ writes: 4, reads: 2, crashes: 1, persistency: 'eventual' });
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 50 }), (choices) => {
        for (const s of statesAlong(c, choices).slice(1)) {
          const r = canonicalValues(c, s);
          expect(bytes(canonicalValues(c, r))).toBe(bytes(r));
          // Same shape: only data values differ, and the multiset of key values maps 1:1.
          const values = (t: ClusterState) => t.nodes.flatMap((n) => n.keys.map((k) => k.value));
          const pairs = new Map<number, number>();
          values(s).forEach((v, i) => {
            const w = values(r)[i]!;
            expect(pairs.get(v) ?? w).toBe(w);
            pairs.set(v, w);
          });
          expect(new Set(pairs.values()).size).toBe(pairs.size);
          if (pairs.has(0)) expect(pairs.get(0)).toBe(0);
        }
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  const explored = (c: ClusterConfig, symmetry: boolean) =>
    explore(createHealModel(c), { strategy: 'bfs', seed: 1, workers: 1, symmetry, maxStates: 600_000 });

  it('a complete search finds the same verdict in fewer states (eventual x fullcopy, no crash)', async () => {
    const c = config({ persistency: 'eventual', recovery: 'fullcopy', crashes: 0 });
    const [plain, reduced] = [await explored(c, false), await explored(c, true)];
    expect(plain.result).toBe('ok');
    expect(reduced.result).toBe('ok');
    expect(reduced.distinctStates).toBeLessThan(plain.distinctStates);
  });

  // Same verdict and counterexample length with and without the reduction, on every
  // mutant: test/mutants/mutants.test.ts (with each mutant's own search, run once).
});
