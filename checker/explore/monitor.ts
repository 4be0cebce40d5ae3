/**
 * Bounds that are not about the state graph (time, memory) and the progress callback.
 * Checked every few thousand states: reading the clock and the process's memory is far
 * cheaper than a state expansion only when amortised.
 */
import v8 from 'node:v8';
import os from 'node:os';
import type { ExploreOptions, Progress } from './types.ts';

export type StopReason = 'time-limit' | 'memory-limit' | 'interrupted';

const MB = 2 ** 20;

/**
 * The resident-memory budget when none is given: the typed arrays of the visited set and
 * frontier live outside the JS heap, so the budget is the heap limit plus headroom for
 * them, capped by what the machine has.
 */
export function defaultMemoryLimitMB(): number {
  const heapLimit = v8.getHeapStatistics().heap_size_limit / MB;
  const machine = os.totalmem() / MB;
  return Math.floor(Math.min(heapLimit + 4096, machine * 0.8));
}

export class Monitor {
  readonly startedAt = performance.now();
  readonly memoryLimitMB: number;
  peakRssMB = 0;
  private deadline: number;
  private readonly heapStopBytes: number;
  private lastCheck = this.startedAt;
  private lastProgress = this.startedAt;
  private lastYield = this.startedAt;

  constructor(private readonly options: ExploreOptions) {
    this.memoryLimitMB = options.memoryLimitMB ?? defaultMemoryLimitMB();
    this.deadline = options.timeLimitSeconds === undefined ? Number.POSITIVE_INFINITY : this.startedAt + options.timeLimitSeconds * 1000;
    // Stop well before V8 itself would abort with heap exhaustion.
    this.heapStopBytes = v8.getHeapStatistics().heap_size_limit * 0.85;
    this.sampleMemory();
  }

  /**
   * Starts the time limit afresh from now (after the workers' start-up) and returns the
   * new deadline in performance.now() milliseconds.
   */
  startTimeLimit(): number {
    if (this.options.timeLimitSeconds !== undefined) this.deadline = performance.now() + this.options.timeLimitSeconds * 1000;
    return this.deadline;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Whether `bytes` more would still fit in the budget (asked before large allocations). */
  readonly mayAllocate = (bytes: number): boolean => process.memoryUsage.rss() + bytes <= this.memoryLimitMB * MB;

  /** Returns why the search must stop, if it must; emits progress about once a second. */
  check(progress: () => Omit<Progress, 'elapsedSeconds' | 'statesPerSecond'>): StopReason | null {
    const now = performance.now();
    if (now >= this.deadline) return 'time-limit';
    if (this.options.interrupt?.aborted) return 'interrupted';
    if (now - this.lastCheck < 100) return null;
    this.lastCheck = now;
    if (this.sampleMemory()) return 'memory-limit';
    if (this.options.onProgress && now - this.lastProgress >= 1000) {
      this.lastProgress = now;
      this.options.onProgress(this.progress(progress()));
    }
    return null;
  }

  /**
   * The searches run synchronously, so an interrupt (a SIGINT handler aborting
   * options.interrupt) could not happen until they end: about every 100 ms they await
   * this, which lets the event loop run. Costs nothing without an interrupt signal.
   */
  async yieldToEvents(): Promise<void> {
    if (this.options.interrupt === undefined) return;
    const now = performance.now();
    if (now - this.lastYield < 100) return;
    this.lastYield = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  progress(p: Omit<Progress, 'elapsedSeconds' | 'statesPerSecond'>): Progress {
    const elapsed = this.elapsedSeconds();
    return { ...p, elapsedSeconds: elapsed, statesPerSecond: elapsed > 0 ? p.distinctStates / elapsed : 0 };
  }

  /** Records peak RSS; true when over budget. */
  sampleMemory(): boolean {
    const usage = process.memoryUsage();
    const rssMB = usage.rss / MB;
    if (rssMB > this.peakRssMB) this.peakRssMB = rssMB;
    return rssMB > this.memoryLimitMB || usage.heapUsed > this.heapStopBytes;
  }
}
