import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { createGrid, replayActions } from './toy-models.ts';

const base: ExploreOptions = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false };

describe('breadth-first search', () => {
  it('finds every state of the grid once, and the closed-form generated count and diameter', async () => {
    for (const k of [0, 1, 5, 40]) {
      const r = await explore(createGrid({ k }), base);
      expect(r.result).toBe('ok');
      expect(r.distinctStates).toBe((k + 1) ** 2);
      // the initial state plus one successor per enabled action of every state
      expect(r.generatedStates).toBe(1 + 2 * k * (k + 1));
      expect(r.maxDepth).toBe(2 * k);
      expect(r.incompleteReason).toBeUndefined();
    }
  });

  it('returns a shortest counterexample that replays to a violating state', async () => {
    for (const badSum of [0, 1, 7, 12]) {
      const model = createGrid({ k: 10, badSum });
      const r = await explore(model, base);
      expect(r.result).toBe('violation');
      const cx = r.counterexample!;
      expect(cx.property).toBe('NOT-SUM');
      expect(cx.actions).toHaveLength(badSum);
      const end = replayActions(model, cx.initialIndex, cx.actions);
      expect(end.x + end.y).toBe(badSum);
    }
  });

  it('checks terminal properties on terminal states only', async () => {
    const model = createGrid({ k: 3, failTerminal: true });
    const r = await explore(model, base);
    expect(r.result).toBe('violation');
    expect(r.counterexample!.property).toBe('TERMINAL');
    expect(replayActions(model, 0, r.counterexample!.actions)).toEqual({ x: 3, y: 3 });
  });

  it('checks quiescent properties on quiescent states only', async () => {
    const model = createGrid({ k: 5, badQuiescent: 2 });
    const r = await explore(model, base);
    expect(r.counterexample!.property).toBe('QUIESCENT');
    expect(replayActions(model, 0, r.counterexample!.actions)).toEqual({ x: 2, y: 2 });
    expect((await explore(createGrid({ k: 5, badQuiescent: 9 }), base)).result).toBe('ok');
  });
});

describe('depth-first search', () => {
  it('covers the same states as BFS', async () => {
    const r = await explore(createGrid({ k: 30 }), { ...base, strategy: 'dfs' });
    expect(r.result).toBe('ok');
    expect(r.distinctStates).toBe(31 * 31);
    expect(r.generatedStates).toBe(1 + 2 * 30 * 31);
  });

  it('finds a planted violation with a trace that replays', async () => {
    const model = createGrid({ k: 10, badSum: 9 });
    const r = await explore(model, { ...base, strategy: 'dfs' });
    expect(r.result).toBe('violation');
    const end = replayActions(model, 0, r.counterexample!.actions);
    expect(end.x + end.y).toBe(9);
  });
});

describe('random simulation', () => {
  it('finds a planted violation, and the same seed gives the same walk', async () => {
    const model = createGrid({ k: 50, badSum: 30 });
    const options: ExploreOptions = { ...base, strategy: 'random', walks: 5, maxDepth: 100 };
    const a = await explore(model, options);
    const b = await explore(model, options);
    expect(a.result).toBe('violation');
    expect(a.counterexample!.actions).toHaveLength(30);
    expect(b.counterexample).toEqual(a.counterexample);
    const end = replayActions(model, 0, a.counterexample!.actions);
    expect(end.x + end.y).toBe(30);
  });

  it('never reports ok: sampling does not cover the space', async () => {
    const r = await explore(createGrid({ k: 3 }), { ...base, strategy: 'random', walks: 50, seed: 7 });
    expect(r.result).toBe('incomplete');
    expect(r.incompleteReason).toBe('walks');
    expect(r.distinctStates).toBeGreaterThan(1);
    expect(r.distinctStates).toBeLessThanOrEqual(16);
  });

  it('different seeds take different walks', async () => {
    const walk = async (seed: number) =>
      (await explore(createGrid({ k: 40, badSum: 40 }), { ...base, strategy: 'random', seed, walks: 1, maxDepth: 80 })).counterexample!.actions;
    const walks = await Promise.all([1, 2, 3, 4].map(walk));
    expect(new Set(walks.map((w) => w.join(','))).size).toBeGreaterThan(1);
  });
});
