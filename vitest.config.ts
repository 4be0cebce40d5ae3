import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take the most time, started first (measured one by one with
 * /usr/bin/time on 2026-12-02, seconds of CPU: mutants 37, checkpoint 20, judged run 19,
 * workers 15, history-canon 15, duplicates 11, runtime cluster 10, signals 15).
 * On a fresh clone vitest has no timings and starts the largest files first; one of
 * these started last would leave one core idle for half a minute at the end.
 */
const HEAVIEST_FIRST = [
  'test/mutants/mutants.test.ts',
  'test/explore/checkpoint.test.ts',
  'test/mutants/catch-table.test.ts',
  'test/cluster/history-canon.test.ts',
  'test/explore/duplicates.test.ts',
  'test/explore/workers.test.ts',
  'test/runtime/cluster.test.ts',
  'test/cli/signals.test.ts',
  'test/runtime/judged-run.test.ts',
];

class HeaviestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = HEAVIEST_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? HEAVIEST_FIRST.length : i;
    };
    // Stable: the rest keep vitest's order (slowest first once it has timings).
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest keeps a core for itself by default (cores - 1): one file at a time on a
    // 2-core machine, while its own process sits idle waiting for results.
    maxWorkers: availableParallelism(),
    // Test files share a worker's module cache: each file importing the checker, the
    // protocol and zod afresh cost about a fifth of the suite's CPU. Every file restores
    // what it patches (vi.restoreAllMocks after each test) and keeps its state in its own
    // temporary directory, so no file sees another's leftovers.
    isolate: false,
    sequence: { sequencer: HeaviestFirst },
  },
});
