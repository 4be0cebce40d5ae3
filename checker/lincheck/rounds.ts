/**
 * The two passes every check makes over its partitions, shared by the one-thread check
 * (check.ts) and the worker threads (parallel.ts): first the distinct-values algorithm
 * on each register partition, then the general search round-robin in growing slices.
 *
 * Slices count search steps, not time: round r gives every pending partition the same
 * number of steps whichever thread runs it. So "the first partition found illegal" means
 * the least (round, partition index), the same partition for any number of workers, as
 * long as no time or memory budget cuts the run short.
 */
import v8 from 'node:v8';
import type { SeqModel } from '../../spec/models/types.ts';
import type { Partition } from './partition.ts';
import { LinearizationSearch } from './search.ts';
import { checkUniqueRegister, type UniqueVerdict } from './unique-register.ts';

export const UNIQUE_VALUES_FROM = 64;
const FIRST_SLICE = 1 << 10;
const MAX_SLICE = 1 << 16;

/** Steps each pending partition gets in round r. */
export function sliceOf(round: number): number {
  return Math.min(FIRST_SLICE * 2 ** Math.min(round, 30), MAX_SLICE);
}

/** The distinct-values verdict of each partition that qualifies (undefined for the others). */
export function fastPass<S>(parts: readonly Partition[], model: SeqModel<S>, uniqueFrom: number): (UniqueVerdict | undefined)[] {
  // Plain loops: the model checker runs this on a tiny history per state, where every allocation shows.
  const decided: (UniqueVerdict | undefined)[] = new Array(parts.length);
  if (model.register === undefined) return decided;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].ops.length >= uniqueFrom) decided[i] = checkUniqueRegister(parts[i].ops, model);
  }
  return decided;
}

export type RoundEvent =
  | { readonly kind: 'illegal'; readonly part: number; readonly round: number }
  | { readonly kind: 'unknown'; readonly part: number; readonly reason: 'time' | 'memory' }
  | { readonly kind: 'round-done'; readonly round: number }
  | { readonly kind: 'ok' };

/**
 * Round-robin search over some partitions (`which`, in increasing index order). Each
 * call of `next()` runs one round and says what it ended with.
 */
export class RoundRobin<S> {
  readonly searches: (LinearizationSearch<S> | undefined)[];
  private readonly pending: number[];
  private round = 0;

  constructor(
    parts: readonly Partition[],
    which: readonly number[],
    model: SeqModel<S>,
    private readonly deadline: number,
    private readonly memoryLimit: number,
  ) {
    this.searches = new Array(parts.length);
    this.pending = [...which];
    for (const i of which) this.searches[i] = new LinearizationSearch(parts[i].ops, model, false, memoryLimit);
  }

  next(): RoundEvent {
    if (this.pending.length === 0) return { kind: 'ok' };
    const slice = sliceOf(this.round);
    const pending = this.pending;
    for (let j = 0; j < pending.length; ) {
      const i = pending[j];
      const r = this.searches[i]!.run(slice);
      if (r === 'illegal') return { kind: 'illegal', part: i, round: this.round };
      if (r === 'ok') {
        pending.splice(j, 1);
        continue;
      }
      const outOfMemory = this.searches[i]!.outOfMemory || (this.memoryLimit !== Infinity && memoryExhausted(this.memoryLimit));
      if (outOfMemory || performance.now() > this.deadline) {
        this.release();
        return { kind: 'unknown', part: i, reason: outOfMemory ? 'memory' : 'time' };
      }
      j++;
    }
    if (pending.length === 0) return { kind: 'ok' };
    return { kind: 'round-done', round: this.round++ };
  }

  /** After 'ok': partition i's linearization as positions in its ops ([] for one not searched). */
  order(i: number): number[] {
    return this.searches[i]?.order() ?? [];
  }

  release(): void {
    for (const s of this.searches) s?.release();
  }
}

/**
 * The resident set past the limit, or the JS heap (model states, the cache's
 * state ids) near V8's own limit, past which the process would abort.
 */
function memoryExhausted(limitBytes: number): boolean {
  if (process.memoryUsage.rss() > limitBytes) return true;
  const heap = v8.getHeapStatistics();
  return heap.used_heap_size > heap.heap_size_limit * 0.85;
}
