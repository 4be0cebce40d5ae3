import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { createGrid, gridRef } from './toy-models.ts';

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

  describe('checkedDepth: what an incomplete breadth-first run guarantees', () => {
    // Grid level d (x + y = d) holds d + 1 states: levels 0..d hold (d + 1)(d + 2) / 2.
    const within = (d: number) => ((d + 1) * (d + 2)) / 2;

    it('a depth bound checks every level up to it', async () => {
      const r = await explore(createGrid({ k: 20 }), { ...base, maxDepth: 5 });
      expect(r.checkedDepth).toBe(5);
    });

    it('a state bound stopping inside level 13 (while level 12 expands) guarantees 11', async () => {
      const r = await explore(createGrid({ k: 20 }), { ...base, maxStates: 100 });
      expect(within(12)).toBeLessThan(100);
      expect(r.checkedDepth).toBe(11);
    });

    it('never claims a depth whose states were not all reached, or that holds an unreported violation', async () => {
      for (const workers of [1, 2]) {
        for (const maxStates of [3, 17, 40, 66, 90, 130]) {
          const target = workers === 1 ? createGrid({ k: 30, badSum: 14 }) : gridRef({ k: 30, badSum: 14 });
          const r = await explore(target, { ...base, workers, maxStates });
          if (r.result === 'violation') continue;
          expect(r.result).toBe('incomplete');
          expect(r.checkedDepth).toBeDefined();
          expect(r.checkedDepth!).toBeLessThan(14);
          expect(r.distinctStates).toBeGreaterThanOrEqual(within(r.checkedDepth!));
        }
      }
    });

    it('is absent when the run is complete, and for depth-first runs', async () => {
      expect((await explore(createGrid({ k: 4 }), base)).checkedDepth).toBeUndefined();
      expect((await explore(createGrid({ k: 20 }), { ...base, strategy: 'dfs', maxStates: 50 })).checkedDepth).toBeUndefined();
    });
  });
});
