import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { createGrid, createTokens, gridRef, replayActions, tokensRef } from './toy-models.ts';

const base: ExploreOptions = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false };

describe('parallel BFS over worker threads', () => {
  it('finds the same distinct and generated counts and depth as one worker', async () => {
    const one = await explore(gridRef({ k: 60 }), base);
    for (const workers of [2, 3]) {
      const many = await explore(gridRef({ k: 60 }), { ...base, workers });
      expect(many.result).toBe('ok');
      expect(many.distinctStates).toBe(one.distinctStates);
      expect(many.generatedStates).toBe(one.generatedStates);
      expect(many.maxDepth).toBe(one.maxDepth);
    }
  });

  it('grows the shared table mid-level and still counts and traces exactly', async () => {
    // 160,801 states pass the 65,536-slot table's load limit twice, in the middle of levels.
    const one = await explore(gridRef({ k: 400 }), base);
    const two = await explore(gridRef({ k: 400 }), { ...base, workers: 2 });
    expect(two.distinctStates).toBe(one.distinctStates);
    expect(two.generatedStates).toBe(one.generatedStates);
    expect(two.bytesPerState).toBeGreaterThan(0);
    const bad = await explore(gridRef({ k: 400, badSum: 390 }), { ...base, workers: 2 });
    expect(bad.result).toBe('violation');
    expect(bad.counterexample!.actions).toHaveLength(390);
    const end = replayActions(createGrid({ k: 400 }), bad.counterexample!.initialIndex, bad.counterexample!.actions);
    expect(end.x + end.y).toBe(390);
  });

  it('agrees under symmetry too', async () => {
    const one = await explore(tokensRef({ n: 4, k: 5 }), { ...base, symmetry: true });
    const two = await explore(tokensRef({ n: 4, k: 5 }), { ...base, symmetry: true, workers: 2 });
    expect(two.distinctStates).toBe(one.distinctStates);
  });

  it('returns a shortest counterexample that replays', async () => {
    const r = await explore(gridRef({ k: 30, badSum: 17 }), { ...base, workers: 2 });
    expect(r.result).toBe('violation');
    expect(r.counterexample!.actions).toHaveLength(17);
    const end = replayActions(createGrid({ k: 30 }), r.counterexample!.initialIndex, r.counterexample!.actions);
    expect(end.x + end.y).toBe(17);
    const sym = await explore(tokensRef({ n: 3, k: 5, badSum: 8 }), { ...base, workers: 2, symmetry: true });
    const tokensEnd = replayActions(createTokens({ n: 3, k: 5 }), 0, sym.counterexample!.actions);
    expect(tokensEnd.reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('honours the depth bound', async () => {
    const r = await explore(gridRef({ k: 20 }), { ...base, workers: 2, maxDepth: 5 });
    expect(r.result).toBe('incomplete');
    expect(r.incompleteReason).toBe('max-depth');
    expect(r.distinctStates).toBe(21);
  });

  it('needs a ModelRef, not a model object', async () => {
    await expect(explore(createGrid({ k: 2 }), { ...base, workers: 2 })).rejects.toThrow(/ModelRef/);
  });
});

describe('the time limit with workers', () => {
  it('counts search time, not the workers start-up (each worker takes 1.5 s to load the model here)', async () => {
    const { slowGridRef } = await import('./slow-start-model.ts');
    const r = await explore(slowGridRef(4000), { strategy: 'bfs', seed: 1, workers: 2, symmetry: false, timeLimitSeconds: 1 });
    expect(r.result).toBe('incomplete');
    expect(r.incompleteReason).toBe('time-limit');
    // Before the fix the deadline had passed by the time the workers were ready: they
    // stopped at once with the initial state alone.
    expect(r.distinctStates).toBeGreaterThan(1000);
  });
});
