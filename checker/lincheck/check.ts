/**
 * The public entry points of the linearizability checker: partition the history
 * by key, search each part, and on failure explain it.
 */
import v8 from 'node:v8';
import type { HistoryEvent } from '../../spec/history.ts';
import type { SeqModel } from '../../spec/models/types.ts';
import type { SourceMap } from '../history/errors.ts';
import { buildOperations, type Operation } from './operation.ts';
import { partitionByKey, type Partition } from './partition.ts';
import { LinearizationSearch } from './search.ts';
import { explainFailure, type Explanation } from './explain.ts';
import type { Semantics } from './semantics.ts';
import { checkUniqueRegister, type Anomaly, type UniqueVerdict } from './unique-register.ts';
import { classifyFailure } from './classify.ts';

export type Verdict = 'ok' | 'illegal' | 'unknown';

export interface CheckOptions {
  /** Past this budget the verdict is 'unknown'. Default: no limit. */
  readonly timeoutMs?: number;
  /** Check each key alone (default true; sound whenever keys are independent objects). */
  readonly partition?: boolean;
  /** On 'illegal', compute an Explanation (default true; costs a few more searches). */
  readonly explain?: boolean;
  /**
   * Past this many bytes the verdict is 'unknown': the search caches' own
   * allocations are counted before they are made, and the process's resident
   * memory is sampled between slices. Default: no limit.
   */
  readonly memoryLimitBytes?: number;
  /**
   * Decide register partitions whose writes are all distinct without search
   * (unique-register.ts), when they have at least this many operations. Default
   * 64; Infinity turns it off (the search then decides, and gives an order).
   */
  readonly uniqueValuesFrom?: number;
}

export interface CheckResult {
  readonly result: Verdict;
  readonly operations: number;
  readonly partitions: number;
  /** Partitions decided by the distinct-values algorithm, without search. */
  readonly withoutSearch?: number;
  /** For 'ok': one linearization per partition, as operation ids in order (empty for a partition decided without search). */
  readonly linearizations?: readonly (readonly number[])[];
  /** For 'illegal' (when explain is on): why. */
  readonly explanation?: Explanation;
  /** For 'illegal': the classic anomaly, when it is one (or the zone conflict, when decided without search), and its key. */
  readonly anomaly?: Anomaly;
  readonly anomalyKey?: string;
  /** For 'unknown': the key whose search ran out of time or memory. */
  readonly unfinishedKey?: string;
  /** For 'unknown': which budget ran out. */
  readonly reason?: 'time' | 'memory';
}

export interface CheckEventsOptions extends CheckOptions {
  readonly source?: SourceMap;
  /** Validate values against the model's shapes (default true). */
  readonly validate?: boolean;
  /** How reads are read (checker/lincheck/semantics.ts); default 'porcupine'. */
  readonly semantics?: Semantics;
}

/** Check a Jepsen-style event history. Throws HistoryError on a malformed history. */
export function checkEvents<S>(
  events: readonly HistoryEvent[],
  model: SeqModel<S>,
  options: CheckEventsOptions = {},
): CheckResult {
  const ops = buildOperations(events, model, { source: options.source, validate: options.validate, semantics: options.semantics });
  return checkOperations(ops, model, options);
}

/**
 * Check already-paired operations (see buildOperations). Partitions are searched
 * round-robin in growing slices, so one illegal partition is found quickly even
 * when another would take exponential time on its own.
 */
export function checkOperations<S>(ops: readonly Operation[], model: SeqModel<S>, options: CheckOptions = {}): CheckResult {
  const deadline = options.timeoutMs === undefined ? Infinity : performance.now() + options.timeoutMs;
  const memoryLimit = options.memoryLimitBytes ?? Infinity;
  const parts: Partition[] = options.partition === false ? [{ key: undefined, ops }] : partitionByKey(ops);
  const summary: { operations: number; partitions: number; withoutSearch?: number } = { operations: ops.length, partitions: parts.length };
  const uniqueFrom = options.uniqueValuesFrom ?? UNIQUE_VALUES_FROM;
  // Plain loops: the model checker runs this on a tiny history per state, where every allocation shows.
  const decided: (UniqueVerdict | undefined)[] = new Array(parts.length);
  let withoutSearch = 0;
  let fastIllegal = -1;
  if (model.register !== undefined) {
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].ops.length < uniqueFrom) continue;
      const d = checkUniqueRegister(parts[i].ops, model);
      decided[i] = d;
      if (d.verdict !== 'not-applicable') withoutSearch++;
      if (d.verdict === 'illegal' && fastIllegal < 0) fastIllegal = i;
    }
  }
  if (withoutSearch > 0) summary.withoutSearch = withoutSearch;
  if (fastIllegal >= 0) {
    const found = decided[fastIllegal] as { verdict: 'illegal'; anomaly: Anomaly };
    const key = parts[fastIllegal].key;
    // The verdict is settled; the search's explanation may be exponential here: bounded, and kept only if it finished.
    const budget = Math.min(deadline, performance.now() + EXPLAIN_AFTER_FAST_MS);
    const explanation = options.explain === false ? undefined : explainFailure(parts[fastIllegal], model, budget, memoryLimit);
    return {
      result: 'illegal',
      ...summary,
      anomaly: found.anomaly,
      ...(key !== undefined ? { anomalyKey: key } : {}),
      ...(explanation?.minimal ? { explanation } : {}),
    };
  }
  const searches: (LinearizationSearch<S> | undefined)[] = new Array(parts.length);
  const pending: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (decided[i]?.verdict === 'ok') continue;
    searches[i] = new LinearizationSearch(parts[i].ops, model, false, memoryLimit);
    pending.push(i);
  }
  let slice = FIRST_SLICE;
  while (pending.length > 0) {
    for (let j = 0; j < pending.length; ) {
      const i = pending[j];
      const r = searches[i]!.run(slice);
      if (r === 'illegal') {
        const explanation = options.explain === false ? undefined : explainFailure(parts[i], model, deadline, memoryLimit);
        const anomaly = explanation?.minimal ? classifyFailure(parts[i].ops, model, explanation.blocked) : undefined;
        const key = parts[i].key;
        return {
          result: 'illegal',
          ...summary,
          ...(explanation ? { explanation } : {}),
          ...(anomaly ? { anomaly, ...(key !== undefined ? { anomalyKey: key } : {}) } : {}),
        };
      }
      if (r === 'ok') {
        pending.splice(j, 1);
        continue;
      }
      const outOfMemory = searches[i]!.outOfMemory || (memoryLimit !== Infinity && memoryExhausted(memoryLimit));
      if (outOfMemory || performance.now() > deadline) {
        const key = parts[i].key;
        for (const s of searches) s?.release();
        return { result: 'unknown', ...summary, reason: outOfMemory ? 'memory' : 'time', ...(key !== undefined ? { unfinishedKey: key } : {}) };
      }
      j++;
    }
    slice = Math.min(slice * 2, MAX_SLICE);
  }
  const linearizations = searches.map((s, i) => (s === undefined ? [] : s.order().map((k) => parts[i].ops[k].id)));
  return { result: 'ok', ...summary, linearizations };
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

const FIRST_SLICE = 1 << 10;
const UNIQUE_VALUES_FROM = 64;
const EXPLAIN_AFTER_FAST_MS = 2_000;
const MAX_SLICE = 1 << 16;
