/** Messages between the coordinator (parallel.ts) and its workers (worker.ts). */
import type { ModelRef } from '../model.ts';
import type { FoundViolation } from './space.ts';
import type { IncompleteReason } from './outcome.ts';

export interface WorkerSetup {
  readonly ref: ModelRef;
  readonly symmetry: boolean;
  readonly index: number;
  readonly workers: number;
  readonly memoryLimitMB: number;
  /** performance.timeOrigin-based epoch milliseconds; Infinity for none. */
  readonly deadline: number;
}

export interface ShippedBuffer {
  readonly buffer: ArrayBuffer;
  readonly words: number;
}

export type ToWorker =
  | { readonly type: 'expand'; readonly probeOnly: boolean }
  | { readonly type: 'insert'; readonly buffers: readonly ShippedBuffer[] }
  | { readonly type: 'parent'; readonly localId: number }
  | { readonly type: 'lookup'; readonly hi: number; readonly lo: number }
  | { readonly type: 'stop' };

export interface WorkerStats {
  readonly distinct: number;
  readonly generated: number;
  readonly queued: number;
  readonly maxDepth: number;
  readonly visitedBytes: number;
  readonly violation: FoundViolation | null;
  readonly stop: IncompleteReason | null;
  /** A state at the depth bound had enabled actions (set by a probe-only expand). */
  readonly truncated: boolean;
}

export type FromWorker =
  | { readonly type: 'stats'; readonly stats: WorkerStats }
  | { readonly type: 'expanded'; readonly stats: WorkerStats; readonly outboxes: readonly (readonly ShippedBuffer[])[] }
  | { readonly type: 'progress'; readonly stats: WorkerStats }
  | { readonly type: 'id'; readonly id: number };

/** Which worker owns a fingerprint (the low word; the table probes with the high one). */
export function ownerOf(lo: number, workers: number): number {
  return lo % workers;
}
