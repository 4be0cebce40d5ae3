/**
 * Runs a node's steps in order, in slices of at most `sliceMs` of one event-loop turn,
 * so that a burst of input (a recovery stream, the replays a promotion starts, a group
 * commit of thousands of persists) cannot hold the loop for seconds: between slices the
 * heartbeat timer runs and the node keeps its lease (finding R4, spec/runtime-protocol.md).
 *
 * Steps keep the order they were offered in. A step offered while the current slice
 * still has time and nothing waits runs at once; otherwise it waits for the next slice
 * (setImmediate: the timers of the next turn run first). Deferring a frame is what a
 * slower network would do, so no step the model would not take is added.
 */
export interface SlicerHooks {
  /** The backlog passed `high` steps: stop reading input (TCP pushes back on the senders). */
  pause(): void;
  /** The backlog fell below `low` steps again. */
  resume(): void;
}

export class Slicer {
  private readonly backlog: (() => void)[] = [];
  private head = 0;
  /** When the current slice began; -1 when none has begun in this turn. */
  private sliceStart = -1;
  private scheduled = false;
  private paused = false;
  /** Slices that ended with steps left over (each a yield to the event loop). */
  yields = 0;

  constructor(
    private readonly sliceMs: number,
    private readonly hooks: SlicerHooks = { pause() {}, resume() {} },
    private readonly high = 20_000,
    private readonly low = 2_000,
  ) {}

  get waiting(): number {
    return this.backlog.length - this.head;
  }

  run(step: () => void): void {
    if (this.waiting === 0 && this.hasTime()) {
      step();
      return;
    }
    this.backlog.push(step);
    if (!this.paused && this.waiting > this.high) {
      this.paused = true;
      this.hooks.pause();
    }
    this.schedule();
  }

  private hasTime(): boolean {
    const now = performance.now();
    if (this.sliceStart < 0) {
      this.sliceStart = now;
      // The slice ends with this turn: the next one starts with a full budget.
      setImmediate(() => {
        this.sliceStart = -1;
      });
    }
    return now - this.sliceStart < this.sliceMs;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    this.sliceStart = performance.now();
    while (this.head < this.backlog.length) {
      const step = this.backlog[this.head]!;
      this.backlog[this.head++] = noop;
      step();
      if (performance.now() - this.sliceStart >= this.sliceMs) break;
    }
    this.sliceStart = -1;
    if (this.head === this.backlog.length) {
      this.backlog.length = 0;
      this.head = 0;
    } else {
      this.yields++;
      if (this.head > 4096) {
        this.backlog.splice(0, this.head);
        this.head = 0;
      }
      this.schedule();
    }
    if (this.paused && this.waiting < this.low) {
      this.paused = false;
      this.hooks.resume();
    }
  }
}

function noop(): void {}
