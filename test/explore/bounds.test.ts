import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { createGrid } from './toy-models.ts';

const base: ExploreOptions = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false };

describe('bounds stop the run cleanly as incomplete', () => {
  it('max-states: stops at exactly the bound', async () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = await explore(createGrid({ k: 20 }), { ...base, strategy, maxStates: 100 });
      expect(r.result).toBe('incomplete');
      expect(r.incompleteReason).toBe('max-states');
      expect(r.distinctStates).toBe(100);
    }
  });

  it('max-states equal to the state count is not a truncation', async () => {
    const r = await explore(createGrid({ k: 4 }), { ...base, maxStates: 25 });
    expect(r.result).toBe('ok');
  });

  it('max-depth: covers exactly the states within the bound', async () => {
    const r = await explore(createGrid({ k: 20 }), { ...base, maxDepth: 5 });
    expect(r.result).toBe('incomplete');
    expect(r.incompleteReason).toBe('max-depth');
    expect(r.maxDepth).toBe(5);
    // states with x + y <= 5
    expect(r.distinctStates).toBe(21);
    expect((await explore(createGrid({ k: 2 }), { ...base, maxDepth: 4 })).result).toBe('ok');
  });

  it('time-limit', async () => {
    const r = await explore(createGrid({ k: 5000 }), { ...base, timeLimitSeconds: 0.3 });
    expect(r.result).toBe('incomplete');
    expect(r.incompleteReason).toBe('time-limit');
    expect(r.seconds).toBeLessThan(5);
    expect(r.distinctStates).toBeGreaterThan(0);
  });

  it('memory-limit: stops before the limit instead of dying', async () => {
    const r = await explore(createGrid({ k: 5000 }), { ...base, memoryLimitMB: 1 });
    expect(r.result).toBe('incomplete');
    expect(r.incompleteReason).toBe('memory-limit');
  });

  it('a violation found before a bound is reported as a violation', async () => {
    const r = await explore(createGrid({ k: 20, badSum: 3 }), { ...base, maxDepth: 10 });
    expect(r.result).toBe('violation');
    expect(r.incompleteReason).toBeUndefined();
  });
});
