/**
 * The visited set of a parallel search: one open-addressing (linear probing) table of
 * 64-bit fingerprints in a SharedArrayBuffer that every worker inserts into directly, so
 * no successor is shipped between threads and each state is admitted (and checked) by the
 * worker that found it first.
 *
 * Slots are three 32-bit words: fingerprint hi, lo, and the state's global id + 1 (0 =
 * empty). An insert claims an empty slot by compare-and-swap of its id word to CLAIMED,
 * writes the fingerprint, then publishes the id with an atomic store; a prober that meets
 * a claimed slot waits for the publication before comparing. Words are signed: V8 keeps
 * int32 values unboxed, while a u32 above 2^31 would be a heap number on every read.
 *
 * The header holds one count of inserted states per worker, each on its own cache line:
 * one shared counter bumped by every insert would bounce between the cores.
 *
 * The table does not grow while workers insert: a worker stops taking new states once
 * the count passes the load limit (the headroom above it covers the successors of the
 * states already being expanded), and the coordinator rehashes into a bigger table
 * between rounds. When memory cannot hold a table twice the size, the coordinator lets
 * this one fill further instead (crowd): probes get longer, but the search goes on until
 * the state space, not the growth step, is what does not fit. The limit lives in the
 * header (word 1), so workers see a raised limit without being told.
 */

const SLOT_WORDS = 3;
/** 64-byte cache lines. */
const COUNTER_STRIDE = 16;
const CLAIMED = -1;
/** Workers stop taking states at this load; the rest is headroom for states in progress. */
const MAX_LOAD = 0.7;
/**
 * The load a table that cannot grow may reach. A crowded table needs little headroom: a
 * worker checks the limit before each state, so at most one state's successors per
 * worker land above it. Linear probing still works at 97% (about 17 slots read per hit,
 * 560 per miss, on a uniform hash): slow for the last few percent of a run, but a search
 * that would stop at 90% finishes (the standard Synchronous x HEAL space fills 94.6% of
 * 2^28 slots).
 */
const CROWDED_LOAD = 0.97;
const LIMIT = 1;
const MIN_CAPACITY = 1 << 16;

export class SharedFingerprintTable {
  readonly words: Int32Array;
  readonly capacity: number;
  private readonly mask: number;
  private readonly header: number;

  /**
   * A new empty table of at least `capacity` slots for `workers` inserters, or a view of
   * an existing table's buffer.
   */
  constructor(readonly workers: number, source: number | SharedArrayBuffer) {
    this.header = workers * COUNTER_STRIDE;
    const buffer = typeof source === 'number' ? new SharedArrayBuffer(SharedFingerprintTable.bytesFor(workers, source)) : source;
    this.words = new Int32Array(buffer);
    this.capacity = (this.words.length - this.header) / SLOT_WORDS;
    if (!Number.isInteger(this.capacity) || (this.capacity & (this.capacity - 1)) !== 0) {
      throw new RangeError(`shared fingerprint table: a buffer of ${buffer.byteLength} bytes is not a table for ${workers} workers`);
    }
    this.mask = this.capacity - 1;
    if (typeof source === 'number') this.words[LIMIT] = Math.floor(this.capacity * MAX_LOAD);
  }

  /** The bytes a table of at least `capacity` slots for `workers` inserters takes. */
  static bytesFor(workers: number, capacity: number): number {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    return (workers * COUNTER_STRIDE + cap * SLOT_WORDS) * 4;
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  get count(): number {
    let sum = 0;
    for (let w = 0; w < this.workers; w++) sum += Atomics.load(this.words, w * COUNTER_STRIDE);
    return sum;
  }

  /** The count at which workers pause. */
  get limit(): number {
    return Atomics.load(this.words, LIMIT);
  }

  get full(): boolean {
    return this.count >= this.limit;
  }

  /** Whether the limit can still be raised (crowd) instead of growing. */
  get crowdable(): boolean {
    return this.limit < Math.floor(this.capacity * CROWDED_LOAD);
  }

  /** Lets the table fill up to CROWDED_LOAD. Only between rounds. */
  crowd(): void {
    Atomics.store(this.words, LIMIT, Math.floor(this.capacity * CROWDED_LOAD));
  }

  /**
   * Inserts the fingerprint with `globalId` if it is absent (true), or leaves the table as
   * it is if some worker inserted it already (false). `worker` is the caller's index.
   */
  tryInsert(hi: number, lo: number, globalId: number, worker: number): boolean {
    const w = this.words;
    const mask = this.mask;
    const value = globalId + 1;
    if (value > 0x7fffffff) throw new RangeError(`shared fingerprint table: state id ${globalId} is out of range`);
    const h = hi | 0;
    const l = lo | 0;
    let i = h & mask;
    for (;;) {
      const at = this.header + i * SLOT_WORDS;
      let id = Atomics.load(w, at + 2);
      if (id === 0) {
        id = Atomics.compareExchange(w, at + 2, 0, CLAIMED);
        if (id === 0) {
          w[at] = h;
          w[at + 1] = l;
          Atomics.store(w, at + 2, value);
          const counter = worker * COUNTER_STRIDE;
          Atomics.store(w, counter, w[counter] + 1);
          return true;
        }
      }
      // Another worker claimed this slot and is writing its fingerprint: a few stores away.
      while (id === CLAIMED) id = Atomics.load(w, at + 2);
      if (w[at] === h && w[at + 1] === l) return false;
      i = (i + 1) & mask;
      // Only a state with more successors than the headroom above the limit could fill it.
      if (i === (h & mask)) {
        throw new RangeError(`shared fingerprint table: all ${this.capacity} slots are taken (a state has more successors than the table's headroom)`);
      }
    }
  }

  /** The global id of a fingerprint, or -1. Only between rounds (no insert running). */
  lookup(hi: number, lo: number): number {
    const w = this.words;
    const h = hi | 0;
    const l = lo | 0;
    let i = h & this.mask;
    for (;;) {
      const at = this.header + i * SLOT_WORDS;
      const id = w[at + 2];
      if (id === 0) return -1;
      if (w[at] === h && w[at + 1] === l) return id - 1;
      i = (i + 1) & this.mask;
    }
  }

  /** A table of twice the capacity with the same entries. Only between rounds. */
  grown(): SharedFingerprintTable {
    const bigger = new SharedFingerprintTable(this.workers, this.capacity * 2);
    const from = this.words;
    const to = bigger.words;
    const mask = bigger.mask;
    const header = this.header;
    for (let at = header; at < from.length; at += SLOT_WORDS) {
      const id = from[at + 2];
      if (id === 0) continue;
      const hi = from[at];
      let i = hi & mask;
      while (to[header + i * SLOT_WORDS + 2] !== 0) i = (i + 1) & mask;
      const dest = header + i * SLOT_WORDS;
      to[dest] = hi;
      to[dest + 1] = from[at + 1];
      to[dest + 2] = id;
    }
    for (let w = 0; w < this.workers; w++) to[w * COUNTER_STRIDE] = from[w * COUNTER_STRIDE];
    return bigger;
  }
}
