/** Messages between the coordinator (parallel.ts) and its workers (worker.ts). */
import type { ModelRef } from '../model.ts';
import type { FoundViolation } from './space.ts';
import type { IncompleteReason } from './outcome.ts';
import type { Handover } from './spill.ts';

export interface WorkerSetup {
  readonly ref: ModelRef;
  readonly symmetry: boolean;
  readonly index: number;
  readonly workers: number;
  readonly memoryLimitMB: number;
  /**
   * [0]: performance.timeOrigin-based epoch milliseconds; Infinity until the coordinator
   * starts the clock once every worker is ready, so start-up does not eat the time limit.
   */
  readonly deadline: Float64Array;
  /** Non-zero once the run is interrupted (options.interrupt): stop as at the deadline. */
  readonly interrupted: Int32Array;
  /** This worker's frontier bound in memory, in bytes, past which it spills to disk. */
  readonly frontierMemoryBytes: number;
  /** The run's private spill directory (the coordinator removes it at the end). */
  readonly spillDir: string;
  /** Continue from this part file of a checkpoint (parallel-checkpoint.ts) instead of the initial states. */
  readonly restore?: string;
  /** The shared fingerprint table (shared-table.ts) as it is at the start. */
  readonly table: SharedArrayBuffer;
}

export type ToWorker =
  /**
   * Expand this level's states until none is left or the shared table is full. With
   * `newLevel`, first make the states found in the last level this level's, with those
   * other workers found for this one (`incoming`). With `finishing` (a violation was
   * found), only judge the level's remaining states, admitting nothing.
   */
  | { readonly type: 'expand'; readonly probeOnly: boolean; readonly finishing: boolean; readonly newLevel: boolean; readonly incoming: readonly Handover[] }
  /** The coordinator grew the shared table: use this one from now on. */
  | { readonly type: 'table'; readonly table: SharedArrayBuffer }
  | { readonly type: 'parent'; readonly localId: number }
  /** Between levels: write this worker's part of a checkpoint to `file`. */
  | { readonly type: 'snapshot'; readonly file: string }
  | { readonly type: 'stop' };

export interface WorkerStats {
  readonly distinct: number;
  readonly generated: number;
  /** States this worker holds for this level and the next (not those it handed over). */
  readonly queued: number;
  readonly maxDepth: number;
  readonly visitedBytes: number;
  /** Frontier records this worker wrote to disk. */
  readonly spilled: number;
  readonly violation: FoundViolation | null;
  readonly stop: IncompleteReason | null;
  /** A state at the depth bound had enabled actions (set by a probe-only expand). */
  readonly truncated: boolean;
  /** The last expand stopped early because the shared table reached its load limit. */
  readonly tableFull: boolean;
}

export type FromWorker =
  | { readonly type: 'stats'; readonly stats: WorkerStats }
  /**
   * After an expand: the new states found for each other worker (by index), to pass on:
   * buffers transferred, and spilled files the receiver takes over by renaming them.
   */
  | { readonly type: 'expanded'; readonly stats: WorkerStats; readonly found: readonly Handover[] }
  | { readonly type: 'progress'; readonly stats: WorkerStats }
  | { readonly type: 'id'; readonly id: number }
  | { readonly type: 'snapshotted' };
