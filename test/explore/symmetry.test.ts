import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { createGrid, createTokens, replayActions } from './toy-models.ts';

const base: ExploreOptions = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false };

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('symmetry reduction', () => {
  it('explores one state per orbit: multisets instead of tuples', async () => {
    const n = 4;
    const k = 3;
    const full = await explore(createTokens({ n, k }), base);
    const reduced = await explore(createTokens({ n, k }), { ...base, symmetry: true });
    expect(full.distinctStates).toBe((k + 1) ** n);
    expect(reduced.distinctStates).toBe(binomial(n + k, n));
    expect(full.maxDepth).toBe(reduced.maxDepth);
    expect(full.distinctStates / reduced.distinctStates).toBeGreaterThan(7);
  });

  it('gives the same verdicts with and without it, and a concrete trace that replays', async () => {
    for (const badSum of [undefined, 0, 5, 9, 13]) {
      const config = badSum === undefined ? { n: 3, k: 4 } : { n: 3, k: 4, badSum };
      const model = createTokens(config);
      const plain = await explore(model, base);
      const reduced = await explore(model, { ...base, symmetry: true });
      expect(reduced.result).toBe(plain.result);
      if (plain.result === 'violation') {
        expect(reduced.counterexample!.property).toBe(plain.counterexample!.property);
        // BFS under symmetry is still shortest: orbits keep depth.
        expect(reduced.counterexample!.actions).toHaveLength(plain.counterexample!.actions.length);
        const end = replayActions(model, reduced.counterexample!.initialIndex, reduced.counterexample!.actions);
        expect(end.reduce((a, b) => a + b, 0)).toBe(badSum);
      }
    }
  });

  it('refuses to run when the model has no canonicalize', async () => {
    await expect(explore(createGrid({ k: 2 }), { ...base, symmetry: true })).rejects.toThrow(/no symmetry reduction/);
  });
});
