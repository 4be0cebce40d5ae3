/**
 * The public entry points of the linearizability checker: partition the history
 * by key, search each part, and on failure explain it.
 */
import type { HistoryEvent } from '../../spec/history.ts';
import type { SeqModel } from '../../spec/models/types.ts';
import type { SourceMap } from '../history/errors.ts';
import { buildOperations, type Operation } from './operation.ts';
import { partitionByKey, type Partition } from './partition.ts';
import { RoundRobin, UNIQUE_VALUES_FROM, fastPass } from './rounds.ts';
import { explainFailure, type Explanation } from './explain.ts';
import type { Semantics } from './semantics.ts';
import type { Anomaly, UniqueVerdict } from './unique-register.ts';
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
  const parts = partitionsOf(ops, options);
  const decided = fastPass(parts, model, options.uniqueValuesFrom ?? UNIQUE_VALUES_FROM);
  const summary = summarize(ops, parts, decided);
  const fastIllegal = decided.findIndex((d) => d?.verdict === 'illegal');
  if (fastIllegal >= 0) return illegalResult(parts, fastIllegal, model, summary, options, deadline, memoryLimit, knownAnomaly(decided[fastIllegal]));
  const which: number[] = [];
  for (let i = 0; i < parts.length; i++) if (decided[i]?.verdict !== 'ok') which.push(i);
  const rounds = new RoundRobin(parts, which, model, deadline, memoryLimit);
  for (;;) {
    const e = rounds.next();
    if (e.kind === 'round-done') continue;
    if (e.kind === 'illegal') return illegalResult(parts, e.part, model, summary, options, deadline, memoryLimit);
    if (e.kind === 'unknown') return unknownResult(parts, e.part, e.reason, summary);
    const linearizations = parts.map((p, i) => rounds.order(i).map((k) => p.ops[k].id));
    return { result: 'ok', ...summary, linearizations };
  }
}

export type Summary = Pick<CheckResult, 'operations' | 'partitions' | 'withoutSearch'>;

export function partitionsOf(ops: readonly Operation[], options: CheckOptions): Partition[] {
  return options.partition === false ? [{ key: undefined, ops }] : partitionByKey(ops);
}

export function summarize(ops: readonly Operation[], parts: readonly Partition[], decided: readonly (UniqueVerdict | undefined)[]): Summary {
  let withoutSearch = 0;
  for (const d of decided) if (d !== undefined && d.verdict !== 'not-applicable') withoutSearch++;
  return { operations: ops.length, partitions: parts.length, ...(withoutSearch > 0 ? { withoutSearch } : {}) };
}

/**
 * Partition i is illegal: explain it and name the anomaly. `known` is the anomaly when the
 * verdict came without search (distinct written values); the search's explanation may then
 * be exponential, so it is bounded and kept only if it finished.
 */
export function illegalResult<S>(
  parts: readonly Partition[],
  i: number,
  model: SeqModel<S>,
  summary: Summary,
  options: CheckOptions,
  deadline: number,
  memoryLimit: number,
  known?: Anomaly,
): CheckResult {
  const budget = known === undefined ? deadline : Math.min(deadline, performance.now() + EXPLAIN_AFTER_FAST_MS);
  const found = options.explain === false ? undefined : explainFailure(parts[i], model, budget, memoryLimit);
  const explanation = known !== undefined && !found?.minimal ? undefined : found;
  const anomaly = known ?? (explanation?.minimal ? classifyFailure(parts[i].ops, model, explanation.blocked) : undefined);
  const key = parts[i].key;
  return {
    result: 'illegal',
    ...summary,
    ...(explanation ? { explanation } : {}),
    ...(anomaly ? { anomaly, ...(key !== undefined ? { anomalyKey: key } : {}) } : {}),
  };
}

/** The anomaly of a partition decided illegal without search. */
export function knownAnomaly(verdict: UniqueVerdict | undefined): Anomaly {
  return (verdict as { verdict: 'illegal'; anomaly: Anomaly }).anomaly;
}

export function unknownResult(parts: readonly Partition[], i: number, reason: 'time' | 'memory', summary: Summary): CheckResult {
  const key = parts[i].key;
  return { result: 'unknown', ...summary, reason, ...(key !== undefined ? { unfinishedKey: key } : {}) };
}

const EXPLAIN_AFTER_FAST_MS = 2_000;
