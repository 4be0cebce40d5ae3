/**
 * The search's cache of configurations already explored: (set of linearized
 * operations, model state).
 *
 * Storing each set as a whole bitset, as Porcupine does, costs n/8 bytes per entry
 * and the search keeps about one entry per operation: memory grows with the square
 * of the history (1.4 GB at 100k operations, and a typed array too long to
 * allocate past 131k). But a linearized set is almost all prefix: every operation
 * invoked before the oldest one still waiting is linearized. So a set is stored as
 * a window: the index of the first bitset word that is not full, and the words from
 * there to the last word with a bit set. Operations are numbered in invocation
 * order, so the window spans only the operations concurrent with the oldest
 * waiting one. Indeterminate operations (which never return, and may never be
 * linearized) would pin the window's start forever, so they have a bitset of
 * their own, stored up to its last set word.
 */

/** The set of linearized operations of the running search, with its window marks. */
export class WindowSet {
  /** Bit position of each operation, in invocation order within its class. */
  pos: Int32Array = new Int32Array(0);
  indeterminate: Uint8Array = new Uint8Array(0);
  det = new Uint32Array(1);
  ind = new Uint32Array(1);
  /** First word of `det` that is not all ones. */
  low = 0;
  /** One past the last non-zero word of `det` (0 when empty). */
  high = 0;
  /** One past the last non-zero word of `ind`. */
  highInd = 0;

  reset(detCount: number, indCount: number): void {
    const dw = Math.max(1, Math.ceil(detCount / 32));
    const iw = Math.max(1, Math.ceil(indCount / 32));
    if (this.det.length < dw) this.det = new Uint32Array(dw);
    else this.det.fill(0, 0, dw);
    if (this.ind.length < iw) this.ind = new Uint32Array(iw);
    else this.ind.fill(0, 0, iw);
    this.low = 0;
    this.high = 0;
    this.highInd = 0;
  }

  add(op: number): void {
    const p = this.pos[op];
    const w = p >>> 5;
    if (this.indeterminate[op] === 1) {
      this.ind[w] |= 1 << (p & 31);
      if (w >= this.highInd) this.highInd = w + 1;
      return;
    }
    const det = this.det;
    det[w] |= 1 << (p & 31);
    if (w >= this.high) this.high = w + 1;
    if (w === this.low) {
      let low = w;
      while (low < this.high && det[low] === 0xffffffff) low++;
      this.low = low;
    }
  }

  remove(op: number): void {
    const p = this.pos[op];
    const w = p >>> 5;
    if (this.indeterminate[op] === 1) {
      const ind = this.ind;
      ind[w] &= ~(1 << (p & 31));
      if (w === this.highInd - 1) {
        let h = w + 1;
        while (h > 0 && ind[h - 1] === 0) h--;
        this.highInd = h;
      }
      return;
    }
    const det = this.det;
    det[w] &= ~(1 << (p & 31));
    if (w < this.low) this.low = w;
    if (w === this.high - 1) {
      let h = w + 1;
      while (h > this.low && det[h - 1] === 0) h--;
      this.high = h;
    }
  }
}

/** Ints of metadata per entry: hashB, state, window start, det words, ind words, arena offset. */
const META = 6;
/** The arena is one typed array: keep it well inside what V8 can allocate. */
const MAX_ARENA_WORDS = 2 ** 30;

/** Open-addressing set of (window set, state id). */
export class Memo {
  private mask = 0;
  private slots = new Int32Array(0);
  private hashA = new Int32Array(0);
  private meta = new Int32Array(0);
  private arena = new Uint32Array(0);
  private used = 0;
  private count = 0;
  private limitBytes = Infinity;

  reset(expected: number, limitBytes: number): void {
    this.limitBytes = limitBytes;
    let cap = 64;
    while (cap < expected * 2) cap *= 2;
    if (this.slots.length < cap) this.slots = new Int32Array(cap);
    else this.slots.fill(0, 0, cap);
    this.mask = cap - 1;
    this.count = 0;
    this.used = 0;
    if (this.hashA.length < cap >> 1) {
      this.hashA = new Int32Array(cap >> 1);
      this.meta = new Int32Array((cap >> 1) * META);
    }
    if (this.arena.length < expected) this.arena = new Uint32Array(Math.max(expected, 64));
  }

  /** Bytes held by the tables. */
  bytes(): number {
    return this.slots.byteLength + this.hashA.byteLength + this.meta.byteLength + this.arena.byteLength;
  }

  /** Drops large tables so a pooled memo does not keep a big search's memory alive. */
  shrink(maxBytes: number): void {
    if (this.bytes() <= maxBytes) return;
    this.slots = new Int32Array(0);
    this.hashA = new Int32Array(0);
    this.meta = new Int32Array(0);
    this.arena = new Uint32Array(0);
  }

  /** 1 if added, 0 if already present, -1 if adding it would exceed the memory limit. */
  add(hashA: number, hashB: number, state: number, set: WindowSet): number {
    const low = set.low;
    const detLen = set.high > low ? set.high - low : 0;
    const indLen = set.highInd;
    const det = set.det;
    const ind = set.ind;
    const slots = this.slots;
    const meta = this.meta;
    const arena = this.arena;
    let i = hashA & this.mask;
    for (;;) {
      const at = slots[i];
      if (at === 0) break;
      const e = at - 1;
      const m = e * META;
      if (meta[m] === hashB && meta[m + 1] === state && meta[m + 2] === low && meta[m + 3] === detLen && meta[m + 4] === indLen) {
        let o = meta[m + 5];
        let same = true;
        for (let w = 0; w < detLen && same; w++) same = arena[o++] === det[low + w];
        for (let w = 0; w < indLen && same; w++) same = arena[o++] === ind[w];
        if (same) return 0;
      }
      i = (i + 1) & this.mask;
    }
    const words = detLen + indLen;
    if (this.used + words > this.arena.length && !this.growArena(this.used + words)) return -1;
    if (this.count >= this.hashA.length && !this.growEntries()) return -1;
    const e = this.count++;
    const m = e * META;
    this.hashA[e] = hashA;
    this.meta[m] = hashB;
    this.meta[m + 1] = state;
    this.meta[m + 2] = low;
    this.meta[m + 3] = detLen;
    this.meta[m + 4] = indLen;
    this.meta[m + 5] = this.used;
    // Word loops, not arena.set(subarray): windows are a few words, and a subarray is an allocation.
    const out = this.arena;
    let o = this.used;
    for (let w = 0; w < detLen; w++) out[o++] = det[low + w];
    for (let w = 0; w < indLen; w++) out[o++] = ind[w];
    this.used = o;
    this.slots[i] = e + 1;
    if (this.count * 2 > this.mask + 1) this.rehash();
    return 1;
  }

  private fits(extraBytes: number): boolean {
    return this.bytes() + extraBytes <= this.limitBytes;
  }

  private growArena(needed: number): boolean {
    const size = Math.min(Math.max(needed, this.arena.length * 2), MAX_ARENA_WORDS);
    if (size < needed || !this.fits((size - this.arena.length) * 4)) return false;
    const arena = new Uint32Array(size);
    arena.set(this.arena.subarray(0, this.used));
    this.arena = arena;
    return true;
  }

  private growEntries(): boolean {
    const size = Math.max(64, this.hashA.length * 2);
    // The slot table doubles with the entries (rehash), so count it too.
    if (!this.fits((size - this.hashA.length) * (4 + 4 * META) + size * 2 * 4)) return false;
    const hashA = new Int32Array(size);
    hashA.set(this.hashA.subarray(0, this.count));
    const meta = new Int32Array(size * META);
    meta.set(this.meta.subarray(0, this.count * META));
    this.hashA = hashA;
    this.meta = meta;
    return true;
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    for (let e = 0; e < this.count; e++) {
      let i = this.hashA[e] & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = e + 1;
    }
  }
}
