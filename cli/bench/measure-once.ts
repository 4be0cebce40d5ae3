/**
 * One measurement in its own process (spawned by `heal bench`): explore, then print the
 * ExploreResult as one JSON line. Own process, so peak RSS belongs to this run alone.
 */
import { explore } from '../../checker/explore/index.ts';
import type { ModelRef } from '../../checker/model.ts';

export async function measureOnce(json: string): Promise<void> {
  const { ref, workers, symmetry } = JSON.parse(json) as { ref: ModelRef; workers: number; symmetry: boolean };
  const result = await explore(ref, { strategy: 'bfs', seed: 1, workers, symmetry });
  // CPU seconds of all threads: on a shared machine wall time alone hides what a run cost.
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  process.stdout.write(`${JSON.stringify({ ...result, counterexample: undefined, cpuSeconds })}\n`);
}
