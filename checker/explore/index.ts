/**
 * The explicit-state explorer: breadth-first (shortest counterexamples), depth-first, and
 * seeded random simulation over any Model, with optional symmetry reduction, bounds that
 * end the run cleanly as 'incomplete', and worker threads partitioned by fingerprint.
 */
import fs from 'node:fs';
import { loadModel } from '../load-model.ts';
import { CheckpointError, readCheckpoint } from './checkpoint.ts';
import type { Model } from '../model.ts';
import { bfs, dfs } from './sequential.ts';
import { Monitor } from './monitor.ts';
import type { Outcome } from './outcome.ts';
import { exploreParallel } from './parallel.ts';
import { randomWalks } from './random.ts';
import { StateSpace } from './space.ts';
import { VisitedSet } from './visited.ts';
import type { ExploreOptions, ExploreResult, ExploreTarget } from './types.ts';

export type { ExploreOptions, ExploreResult, ExploreTarget, Counterexample, Progress, Strategy } from './types.ts';
export { rebuildCounterexample, type TraceIndex } from './trace.ts';
export { fingerprint } from './hash.ts';
export { VisitedSet } from './visited.ts';
export { defaultMemoryLimitMB } from './monitor.ts';
export { CheckpointError, type CheckpointOptions } from './checkpoint.ts';

function isModel<S, A>(target: ExploreTarget<S, A>): target is Model<S, A> {
  return typeof (target as Model<S, A>).actions === 'function';
}

function validate(options: ExploreOptions): void {
  const positiveInt = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new RangeError(`explore: ${name} must be an integer >= ${min}, got ${v}`);
  };
  positiveInt('workers', options.workers, 1);
  positiveInt('maxStates', options.maxStates, 1);
  positiveInt('maxDepth', options.maxDepth, 0);
  positiveInt('walks', options.walks, 1);
  if (options.timeLimitSeconds !== undefined && !(options.timeLimitSeconds > 0)) {
    throw new RangeError(`explore: timeLimitSeconds must be > 0, got ${options.timeLimitSeconds}`);
  }
  if (options.frontierMemoryMB !== undefined && !(options.frontierMemoryMB > 0)) {
    throw new RangeError(`explore: frontierMemoryMB must be > 0, got ${options.frontierMemoryMB}`);
  }
  if (options.memoryLimitMB !== undefined && !(options.memoryLimitMB > 0)) {
    throw new RangeError(`explore: memoryLimitMB must be > 0, got ${options.memoryLimitMB}`);
  }
  if (options.checkpoint !== undefined && options.strategy !== 'bfs') {
    throw new RangeError('explore: checkpoints are taken by breadth-first search only');
  }
  if (options.checkpoint !== undefined && !(options.checkpoint.everySeconds > 0)) {
    throw new RangeError(`explore: checkpoint.everySeconds must be > 0, got ${options.checkpoint.everySeconds}`);
  }
  if (options.workers > 1 && options.strategy !== 'bfs') {
    throw new RangeError(`explore: --workers > 1 runs breadth-first only, not ${options.strategy}`);
  }
}

export async function explore<S, A>(target: ExploreTarget<S, A>, options: ExploreOptions): Promise<ExploreResult> {
  validate(options);
  const monitor = new Monitor(options);
  let outcome: Outcome;
  if (options.workers > 1) {
    if (isModel(target)) throw new RangeError('explore: workers > 1 needs a ModelRef (each worker rebuilds the model)');
    outcome = await exploreParallel(target, options, monitor);
  } else {
    const model = isModel(target) ? target : await loadModel<S, A>(target);
    const ckpt = options.checkpoint;
    if (ckpt?.resume && fs.existsSync(ckpt.file) && fs.statSync(ckpt.file).isDirectory()) {
      throw new CheckpointError(`checkpoint ${ckpt.file}: taken by a run on several workers; resume it with the same --workers`);
    }
    const restored = ckpt?.resume && fs.existsSync(ckpt.file) ? readCheckpoint(ckpt, monitor.mayAllocate) : null;
    const space = new StateSpace(model, options.symmetry, restored?.visited ?? new VisitedSet(1 << 16, monitor.mayAllocate));
    outcome =
      options.strategy === 'bfs'
        ? await bfs(space, options, monitor, restored)
        : options.strategy === 'dfs'
          ? await dfs(space, options, monitor)
          : await randomWalks(space, options, monitor);
  }
  monitor.sampleMemory();
  const seconds = monitor.elapsedSeconds();
  return {
    result: outcome.counterexample !== null ? 'violation' : outcome.stop !== null ? 'incomplete' : 'ok',
    ...(outcome.stop !== null && outcome.counterexample === null ? { incompleteReason: outcome.stop } : {}),
    distinctStates: outcome.distinct,
    generatedStates: outcome.generated,
    maxDepth: outcome.maxDepth,
    ...(outcome.stop !== null && outcome.counterexample === null && outcome.checkedDepth !== undefined ? { checkedDepth: outcome.checkedDepth } : {}),
    ...(outcome.walks !== undefined ? { walks: outcome.walks } : {}),
    seconds,
    statesPerSecond: seconds > 0 ? outcome.distinct / seconds : 0,
    bytesPerState: outcome.distinct > 0 ? outcome.visitedBytes / outcome.distinct : 0,
    peakMemoryMB: Math.round(monitor.peakRssMB),
    ...(outcome.spilled ? { spilledStates: outcome.spilled } : {}),
    ...(outcome.resumedFrom !== undefined ? { resumedFrom: outcome.resumedFrom } : {}),
    ...(outcome.counterexample !== null ? { counterexample: outcome.counterexample } : {}),
  };
}
