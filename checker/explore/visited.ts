/**
 * The visited set: 64-bit fingerprints in an open-addressing (linear probing) table over
 * one Uint32Array, three words per slot (fingerprint hi, lo, state id + 1; 0 = empty),
 * plus each state's parent id in chunked Uint32Arrays. States themselves are never kept:
 * a trace is rebuilt by walking parent ids back and re-executing forward (see trace.ts).
 *
 * Ids are dense local numbers 0, 1, 2, ... in insertion order. The explorer may map them
 * to global ids (workers), so parents are stored as given.
 */

const SLOT_WORDS = 3;
const PARENT_CHUNK_BITS = 16;
const PARENT_CHUNK = 1 << PARENT_CHUNK_BITS;
const MAX_LOAD = 0.75;
/**
 * When memory cannot hold a table twice the size, this one fills up to here first: one
 * insert at a time, so it needs no headroom; linear probing costs about 17 slots per hit
 * and 560 per miss at 97%, which only the last few percent of a run pay.
 */
const CROWDED_LOAD = 0.97;

export const NO_PARENT = 0xffffffff;

/** What a search needs of its visited set (one thread's table, or a worker's share of a shared one). */
export interface VisitedIndex {
  readonly size: number;
  /** Bytes held for the states this index counts. */
  readonly bytes: number;
  /** Records a new fingerprint and returns its local id, or -1 if it was already present. */
  insert(hi: number, lo: number, parent: number): number;
  /** The local id of a fingerprint, or -1. */
  lookup(hi: number, lo: number): number;
  parentOf(id: number): number;
}

/** Each state's parent id by local id, in chunks so that it grows without copying. */
export class ParentIndex {
  private readonly chunks: Uint32Array[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.chunks.length * PARENT_CHUNK * 4;
  }

  /** Stores the parent of the next id and returns that id. */
  push(parent: number): number {
    const id = this.count;
    const chunk = id >>> PARENT_CHUNK_BITS;
    if (chunk === this.chunks.length) this.chunks.push(new Uint32Array(PARENT_CHUNK));
    this.chunks[chunk][id & (PARENT_CHUNK - 1)] = parent >>> 0;
    this.count = id + 1;
    return id;
  }

  get(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this.count) throw new RangeError(`visited set: no state with id ${id}`);
    return this.chunks[id >>> PARENT_CHUNK_BITS][id & (PARENT_CHUNK - 1)];
  }

  /** The chunks in use (the last one only partly), for a checkpoint. */
  exportChunks(): readonly Uint32Array[] {
    return this.chunks;
  }

  /** Restores what exportChunks gave (each chunk PARENT_CHUNK words long). */
  static fromChunks(chunks: Uint32Array[], count: number): ParentIndex {
    const p = new ParentIndex();
    if (chunks.length !== Math.ceil(count / PARENT_CHUNK) || chunks.some((c) => c.length !== PARENT_CHUNK)) {
      throw new RangeError('visited set: parent chunks do not match the state count');
    }
    p.chunks.push(...chunks);
    p.count = count;
    return p;
  }
}

/** Words per parent chunk (checkpoint files store whole chunks). */
export const PARENT_CHUNK_WORDS = PARENT_CHUNK;

/** Thrown when the table cannot grow within the memory budget. */
export class VisitedSetFull extends Error {
  override readonly name = 'VisitedSetFull';
}

export class VisitedSet implements VisitedIndex {
  private slots: Uint32Array;
  private mask: number;
  private growAt: number;
  private parents = new ParentIndex();

  /**
   * `mayAllocate(bytes)` is asked before each growth (the old and new tables coexist while
   * rehashing); when it says no, insert throws VisitedSetFull instead of overshooting.
   */
  constructor(
    initialCapacity = 1 << 16,
    private readonly mayAllocate: (bytes: number) => boolean = () => true,
  ) {
    let cap = 1024;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Uint32Array(cap * SLOT_WORDS);
    this.mask = cap - 1;
    this.growAt = Math.floor(cap * MAX_LOAD);
  }

  get size(): number {
    return this.parents.size;
  }

  /** Bytes held by the table and the parent index. */
  get bytes(): number {
    return this.slots.byteLength + this.parents.bytes;
  }

  /** Linear probing: the offset of the fingerprint's slot, or of the empty slot where it would go. */
  private probe(hi: number, lo: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = hi & mask;
    for (;;) {
      const at = i * SLOT_WORDS;
      if (slots[at + 2] === 0 || (slots[at] === hi && slots[at + 1] === lo)) return at;
      i = (i + 1) & mask;
    }
  }

  /** The local id of a fingerprint, or -1. */
  lookup(hi: number, lo: number): number {
    // An empty slot holds id + 1 = 0.
    return this.slots[this.probe(hi, lo) + 2] - 1;
  }

  /** Inserts a new fingerprint and returns its local id, or -1 if it was already present. */
  insert(hi: number, lo: number, parent: number): number {
    const at = this.probe(hi, lo);
    const slots = this.slots;
    if (slots[at + 2] !== 0) return -1;
    const id = this.parents.push(parent);
    slots[at] = hi;
    slots[at + 1] = lo;
    slots[at + 2] = id + 1;
    if (id + 1 >= this.growAt) this.grow();
    return id;
  }

  parentOf(id: number): number {
    return this.parents.get(id);
  }

  /** The table and parents as they are, for a checkpoint (views, not copies). */
  exportParts(): { readonly slots: Uint32Array; readonly growAt: number; readonly size: number; readonly parents: readonly Uint32Array[] } {
    return { slots: this.slots, growAt: this.growAt, size: this.size, parents: this.parents.exportChunks() };
  }

  /** Rebuilds a set from exportParts (the arrays are taken over). */
  static fromParts(
    parts: { slots: Uint32Array; growAt: number; size: number; parents: Uint32Array[] },
    mayAllocate: (bytes: number) => boolean = () => true,
  ): VisitedSet {
    const cap = parts.slots.length / SLOT_WORDS;
    if (!Number.isInteger(cap) || cap < 1024 || (cap & (cap - 1)) !== 0) throw new RangeError('visited set: table size is not a power of two');
    const v = new VisitedSet(1024, mayAllocate);
    v.slots = parts.slots;
    v.mask = cap - 1;
    v.growAt = parts.growAt;
    v.parents = ParentIndex.fromChunks(parts.parents, parts.size);
    return v;
  }

  /**
   * Doubles the table; when memory cannot hold the bigger one, lets this one fill to
   * CROWDED_LOAD first (longer probes, but more states before the search must stop).
   */
  private grow(): void {
    const oldSlots = this.slots;
    const cap = (this.mask + 1) * 2;
    const crowded = Math.floor((this.mask + 1) * CROWDED_LOAD);
    let slots: Uint32Array | null = null;
    if (this.mayAllocate(cap * SLOT_WORDS * 4)) {
      try {
        slots = new Uint32Array(cap * SLOT_WORDS);
      } catch {
        slots = null;
      }
    }
    if (slots === null) {
      if (this.growAt < crowded) {
        this.growAt = crowded;
        return;
      }
      throw new VisitedSetFull(`the visited set would need ${Math.round((cap * SLOT_WORDS * 4) / 2 ** 20)} MB`);
    }
    const mask = cap - 1;
    for (let at = 0; at < oldSlots.length; at += SLOT_WORDS) {
      const idPlus1 = oldSlots[at + 2];
      if (idPlus1 === 0) continue;
      const hi = oldSlots[at];
      let i = hi & mask;
      while (slots[i * SLOT_WORDS + 2] !== 0) i = (i + 1) & mask;
      const to = i * SLOT_WORDS;
      slots[to] = hi;
      slots[to + 1] = oldSlots[at + 1];
      slots[to + 2] = idPlus1;
    }
    this.slots = slots;
    this.mask = mask;
    this.growAt = Math.floor(cap * MAX_LOAD);
  }
}
