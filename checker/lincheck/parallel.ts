/**
 * `heal lincheck --workers N`: the partitions of a history checked by N threads, this
 * one and N-1 workers. Each runs the one-thread passes (rounds.ts) on its share; this coordinator
 * settles the verdict exactly as one thread would. A partition the distinct-values
 * pass finds illegal wins, the lowest index first; otherwise the least (round, index)
 * the search finds illegal, which is final once every worker has finished that round.
 * The explanation is then computed here, on the same partition, as one thread does.
 * Only a time or memory budget makes the outcome depend on the threads' speed.
 */
import { Worker } from 'node:worker_threads';
import type { SeqModel } from '../../spec/models/types.ts';
import { compiled, entryModule } from '../locate.ts';
import {
  checkOperations,
  illegalResult,
  knownAnomaly,
  partitionsOf,
  unknownResult,
  type CheckOptions,
  type CheckResult,
  type Summary,
} from './check.ts';
import type { ModelRef } from '../model.ts';
import type { Operation } from './operation.ts';
import { packPartition, type FromWorker, type PackedPartition, type WorkerWork } from './parallel-protocol.ts';
import type { Partition } from './partition.ts';
import { fastPass, RoundRobin, UNIQUE_VALUES_FROM } from './rounds.ts';
import { checkUniqueRegister } from './unique-register.ts';

// From the sources, the .mjs registers tsx first (workers do not inherit the loader).
const WORKER_ENTRY = compiled ? entryModule('checker/lincheck/partition-worker.ts') : new URL('./partition-worker.mjs', import.meta.url);

/**
 * Worker threads started ahead of the work, so that they load their code while the
 * history is read (about 0.1-0.4 s each, zod included, against seconds of parsing
 * for a long history). Idle, they do not keep the process alive.
 */
export class WorkerPool {
  readonly workers: Worker[] = [];
  /** What happened to a worker before it was given work. */
  readonly early: (Error | number | undefined)[] = [];

  constructor(size: number) {
    for (let w = 0; w < size; w++) {
      const worker = new Worker(WORKER_ENTRY);
      worker.unref();
      worker.on('error', (e) => (this.early[w] ??= e));
      worker.on('exit', (code) => (this.early[w] ??= code));
      this.workers.push(worker);
    }
  }

  close(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export interface ParallelCheckOptions extends CheckOptions {
  readonly workers: number;
  /** N-1 workers already started (closed when the check ends); default: started here. */
  readonly pool?: WorkerPool;
  /** How each worker builds its own copy of the model (concrete models live outside checker/). */
  readonly modelRef: ModelRef;
}

/** Shares of about equal size: the largest partitions first, each to the least loaded worker. */
export function shareOut(parts: readonly Partition[], workers: number): number[][] {
  const shares: number[][] = Array.from({ length: workers }, () => []);
  const load = new Array<number>(workers).fill(0);
  const bySize = parts.map((_, i) => i).sort((a, b) => parts[b].ops.length - parts[a].ops.length || a - b);
  for (const i of bySize) {
    let w = 0;
    for (let v = 1; v < workers; v++) if (load[v] < load[w]) w = v;
    shares[w].push(i);
    load[w] += parts[i].ops.length + 1;
  }
  for (const s of shares) s.sort((a, b) => a - b);
  return shares.filter((s) => s.length > 0);
}

export type Settled =
  | { readonly kind: 'fast-illegal'; readonly part: number; readonly withoutSearch: number }
  | { readonly kind: 'illegal'; readonly part: number; readonly withoutSearch: number }
  | { readonly kind: 'unknown'; readonly part: number | undefined; readonly reason: 'time' | 'memory'; readonly withoutSearch: number }
  | { readonly kind: 'ok'; readonly orders: Map<number, Int32Array>; readonly withoutSearch: number };

interface WorkerState {
  fast: boolean;
  /** Rounds this worker completed, -1 before the first. */
  round: number;
  finished: 'ok' | 'illegal' | 'unknown' | undefined;
}

/**
 * The coordinator's bookkeeping, apart from the threads so that a test can feed it
 * messages in any order: `hear` returns the outcome once it is settled.
 */
export class Referee {
  private readonly states: WorkerState[];
  private readonly fastIllegal: number[] = [];
  private withoutSearch = 0;
  private best: { part: number; round: number } | undefined;
  private firstUnknown: { part: number | undefined; reason: 'time' | 'memory' } | undefined;
  private readonly orders = new Map<number, Int32Array>();

  constructor(workers: number) {
    this.states = Array.from({ length: workers }, () => ({ fast: false, round: -1, finished: undefined }));
  }

  hear(worker: number, m: FromWorker): Settled | undefined {
    const state = this.states[worker];
    switch (m.type) {
      case 'fast':
        state.fast = true;
        this.withoutSearch += m.decided;
        this.fastIllegal.push(...m.illegal);
        // A worker with a partition illegal without search does not search.
        if (m.illegal.length > 0) state.finished = 'illegal';
        break;
      case 'round-done':
        state.round = m.round;
        break;
      case 'illegal': {
        state.finished = 'illegal';
        const b = this.best;
        if (b === undefined || m.round < b.round || (m.round === b.round && m.part < b.part)) this.best = { part: m.part, round: m.round };
        break;
      }
      case 'unknown':
        state.finished = 'unknown';
        this.firstUnknown ??= { part: m.part, reason: m.reason };
        break;
      case 'ok':
        state.finished = 'ok';
        for (const [i, order] of m.orders) this.orders.set(i, order);
        break;
    }
    return this.judge();
  }

  /** A worker ran out of its own heap: the memory budget, as for one thread. */
  outOfMemory(worker: number): Settled | undefined {
    const state = this.states[worker];
    state.fast = true;
    state.finished = 'unknown';
    this.firstUnknown ??= { part: undefined, reason: 'memory' };
    return this.judge();
  }

  /** Whether the worker has said all it will say. */
  finished(worker: number): boolean {
    return this.states[worker].finished !== undefined;
  }

  private judge(): Settled | undefined {
    const { states, withoutSearch } = this;
    if (!states.every((s) => s.fast)) return undefined;
    if (this.fastIllegal.length > 0) return { kind: 'fast-illegal', part: Math.min(...this.fastIllegal), withoutSearch };
    const b = this.best;
    // Final once every worker is past b's round: none can report a lesser (round, index).
    if (b !== undefined && states.every((s) => s.finished === 'ok' || s.finished === 'illegal' || s.round >= b.round)) {
      return { kind: 'illegal', part: b.part, withoutSearch };
    }
    if (!states.every((s) => s.finished !== undefined)) return undefined;
    // A budget ran out somewhere: a violation found elsewhere is still a sound verdict.
    if (b !== undefined) return { kind: 'illegal', part: b.part, withoutSearch };
    if (this.firstUnknown !== undefined) return { kind: 'unknown', ...this.firstUnknown, withoutSearch };
    return { kind: 'ok', orders: this.orders, withoutSearch };
  }
}

export async function checkOperationsParallel<S>(ops: readonly Operation[], model: SeqModel<S>, options: ParallelCheckOptions): Promise<CheckResult> {
  const parts = partitionsOf(ops, options);
  if (options.workers <= 1 || parts.length <= 1) {
    void options.pool?.close();
    return checkOperations(ops, model, options);
  }
  const deadline = options.timeoutMs === undefined ? Infinity : performance.now() + options.timeoutMs;
  const memoryLimit = options.memoryLimitBytes ?? Infinity;
  const shares = shareOut(parts, Math.min(options.workers, parts.length, (options.pool?.workers.length ?? Infinity) + 1));
  // This thread checks the first share itself: one thread fewer to start and feed.
  const settled = await coordinate(parts, shares, model, options.pool ?? new WorkerPool(shares.length - 1), {
    model: options.modelRef,
    uniqueFrom: options.uniqueValuesFrom ?? UNIQUE_VALUES_FROM,
    deadline: deadline === Infinity ? Infinity : performance.timeOrigin + deadline,
    memoryLimit,
  });
  const summary: Summary = { operations: ops.length, partitions: parts.length, ...(settled.withoutSearch > 0 ? { withoutSearch: settled.withoutSearch } : {}) };
  switch (settled.kind) {
    case 'fast-illegal': {
      // Polynomial: recomputed here rather than shipping the anomaly's operations back.
      const anomaly = knownAnomaly(checkUniqueRegister(parts[settled.part].ops, model));
      return illegalResult(parts, settled.part, model, summary, options, deadline, memoryLimit, anomaly);
    }
    case 'illegal':
      return illegalResult(parts, settled.part, model, summary, options, deadline, memoryLimit);
    case 'unknown':
      if (settled.part !== undefined) return unknownResult(parts, settled.part, settled.reason, summary);
      return { result: 'unknown', ...summary, reason: settled.reason };
    case 'ok': {
      const linearizations = parts.map((p, i) => Array.from(settled.orders.get(i) ?? [], (k) => p.ops[k].id));
      return { result: 'ok', ...summary, linearizations };
    }
  }
}

function coordinate<S>(
  parts: readonly Partition[],
  shares: readonly number[][],
  model: SeqModel<S>,
  pool: WorkerPool,
  common: Omit<WorkerWork, 'parts' | 'partitions'>,
): Promise<Settled> {
  return new Promise<Settled>((resolve, reject) => {
    const referee = new Referee(shares.length);
    let done = false;

    const finish = (s: Settled | Error | undefined): void => {
      if (done || s === undefined) return;
      done = true;
      // Terminated rather than told: a worker deep in a slice stops at once.
      pool.close().then(
        () => (s instanceof Error ? reject(s) : resolve(s)),
        reject,
      );
    };

    shares.forEach((share, w) => {
      if (w === 0) return;
      const worker = pool.workers[w - 1];
      const early = pool.early[w - 1];
      if (early !== undefined) return finish(early instanceof Error ? early : new Error(`lincheck worker exited with code ${early} before its work`));
      worker.on('message', (m: FromWorker) => finish(referee.hear(w, m)));
      worker.on('error', (e: Error & { code?: string }) => finish(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? referee.outOfMemory(w) : e));
      worker.on('exit', (code) => {
        if (!done && !referee.finished(w)) finish(new Error(`lincheck worker exited with code ${code} before its verdict`));
      });
      const packed: PackedPartition[] = [];
      const transfer: ArrayBuffer[] = [];
      for (const i of share) {
        const p = packPartition(i, parts[i]);
        packed.push(p.packed);
        transfer.push(...p.transfer);
      }
      const work: WorkerWork = { ...common, parts: packed, partitions: parts.length };
      // Working, it keeps the process alive until it answers.
      worker.ref();
      worker.postMessage(work, transfer);
    });
    checkHere(parts, shares[0], model, common, (m) => finish(referee.hear(0, m)), () => done).catch(finish);
  });
}

/**
 * The first share, on this thread, as a worker would check it (partition-worker.ts),
 * yielding between rounds so that the workers' messages are heard.
 */
async function checkHere<S>(
  parts: readonly Partition[],
  mine: readonly number[],
  model: SeqModel<S>,
  common: Omit<WorkerWork, 'parts' | 'partitions'>,
  say: (m: FromWorker) => void,
  settled: () => boolean,
): Promise<void> {
  const decided = fastPass(mine.map((i) => parts[i]), model, common.uniqueFrom);
  const illegal: number[] = [];
  const which: number[] = [];
  let count = 0;
  mine.forEach((i, k) => {
    const d = decided[k];
    if (d !== undefined && d.verdict !== 'not-applicable') count++;
    if (d?.verdict === 'illegal') illegal.push(i);
    else if (d?.verdict !== 'ok') which.push(i);
  });
  say({ type: 'fast', decided: count, illegal });
  if (illegal.length > 0) return;
  const rounds = new RoundRobin(parts, which, model, common.deadline - performance.timeOrigin, common.memoryLimit);
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (settled()) return rounds.release();
    const e = rounds.next();
    if (e.kind === 'round-done') say({ type: 'round-done', round: e.round });
    else if (e.kind === 'illegal') return say({ type: 'illegal', part: e.part, round: e.round });
    else if (e.kind === 'unknown') return say({ type: 'unknown', part: e.part, reason: e.reason });
    else return say({ type: 'ok', orders: which.map((i) => [i, Int32Array.from(rounds.order(i))]) });
  }
}
