/**
 * Encoded states waiting to be expanded (or shipped to another worker), kept as bytes in
 * chunked ArrayBuffers rather than as JS objects: the frontier of a large search then
 * costs a few bytes per state and nothing for the garbage collector to trace.
 *
 * A record is [a, b, hi, lo, byteLength] as u32 words, the bytes padded to a word, and a
 * trailing word with the record's length in words (so the deque can also pop from the back).
 * What a and b mean is the caller's business (state id and depth, parent id and depth).
 */

const HEADER_WORDS = 5;
const DEFAULT_CHUNK_WORDS = 1 << 18; // 1 MB

interface Chunk {
  readonly words: Uint32Array;
  readonly bytes: Uint8Array;
  /** Next record to pop from the front (words). */
  start: number;
  /** End of the last record (words). */
  end: number;
  /** Records between start and end. */
  records: number;
}

function newChunk(words: number): Chunk {
  return chunkOf(new ArrayBuffer(words * 4), 0, 0);
}

function chunkOf(buffer: ArrayBuffer, end: number, records: number): Chunk {
  return { words: new Uint32Array(buffer), bytes: new Uint8Array(buffer), start: 0, end, records };
}

/** Whole records from word 0 to `words` of a buffer, as handed between threads. */
export interface RecordBuffer {
  readonly buffer: ArrayBuffer;
  readonly words: number;
  readonly records: number;
}

/** The fields of the record most recently popped or read. */
export class RecordView {
  a = 0;
  b = 0;
  hi = 0;
  lo = 0;
}

export class RecordDeque {
  private chunks: Chunk[] = [];
  private count = 0;
  private heldBytes = 0;
  /** One drained chunk kept for reuse so a steady FIFO does not allocate. */
  private spare: Chunk | null = null;
  readonly last = new RecordView();

  constructor(private readonly chunkWords = DEFAULT_CHUNK_WORDS) {}

  get size(): number {
    return this.count;
  }

  /** Bytes of the chunks currently held. */
  get bytes(): number {
    return this.heldBytes;
  }

  push(a: number, b: number, hi: number, lo: number, data: Uint8Array): void {
    const dataWords = (data.length + 3) >>> 2;
    const recordWords = HEADER_WORDS + dataWords + 1;
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || chunk.end + recordWords > chunk.words.length) {
      const words = Math.max(this.chunkWords, recordWords);
      if (this.spare !== null && this.spare.words.length >= words) {
        chunk = this.spare;
        this.spare = null;
        chunk.start = 0;
        chunk.end = 0;
        chunk.records = 0;
      } else {
        chunk = newChunk(words);
      }
      this.heldBytes += chunk.words.byteLength;
      this.chunks.push(chunk);
    }
    const w = chunk.words;
    const at = chunk.end;
    w[at] = a;
    w[at + 1] = b;
    w[at + 2] = hi;
    w[at + 3] = lo;
    w[at + 4] = data.length;
    chunk.bytes.set(data, (at + HEADER_WORDS) * 4);
    w[at + recordWords - 1] = recordWords;
    chunk.end = at + recordWords;
    chunk.records++;
    this.count++;
  }

  /** FIFO pop; the returned view is valid until the next push. Fields go to `last`. */
  shift(): Uint8Array {
    const chunk = this.chunks[0];
    if (chunk === undefined || this.count === 0) throw new RangeError('record deque is empty');
    const w = chunk.words;
    const at = chunk.start;
    const view = this.read(chunk, at);
    chunk.start = at + HEADER_WORDS + ((w[at + 4] + 3) >>> 2) + 1;
    chunk.records--;
    this.count--;
    if (chunk.start === chunk.end) this.drop(this.chunks.shift()!);
    return view;
  }

  /** LIFO pop; the returned view is valid until the next push. Fields go to `last`. */
  pop(): Uint8Array {
    const chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.count === 0) throw new RangeError('record deque is empty');
    const at = chunk.end - chunk.words[chunk.end - 1];
    const view = this.read(chunk, at);
    chunk.end = at;
    chunk.records--;
    this.count--;
    if (chunk.start === chunk.end) this.drop(this.chunks.pop()!);
    return view;
  }

  /**
   * Hands the filled chunks over (for transfer to another thread) and empties the deque.
   * Each buffer holds whole records from offset 0 to `words` u32 words.
   */
  takeBuffers(): RecordBuffer[] {
    const out = this.chunks.map((c) => {
      if (c.start !== 0) throw new Error('takeBuffers after a pop is not supported');
      return { buffer: c.words.buffer as ArrayBuffer, words: c.end, records: c.records };
    });
    this.chunks = [];
    this.count = 0;
    this.heldBytes = 0;
    return out;
  }

  /** The records held, oldest first, as word ranges of the chunks (views, not copies). */
  views(): { readonly words: Uint32Array; readonly records: number }[] {
    return this.chunks.map((c) => ({ words: c.words.subarray(c.start, c.end), records: c.records }));
  }

  /** Appends the records of a buffer that takeBuffers produced (the buffer is taken over). */
  adopt(b: RecordBuffer): void {
    if (b.records === 0) return;
    this.chunks.push(chunkOf(b.buffer, b.words, b.records));
    this.count += b.records;
    this.heldBytes += b.buffer.byteLength;
  }

  private read(chunk: Chunk, at: number): Uint8Array {
    const w = chunk.words;
    const v = this.last;
    v.a = w[at];
    v.b = w[at + 1];
    v.hi = w[at + 2];
    v.lo = w[at + 3];
    const start = (at + HEADER_WORDS) * 4;
    return chunk.bytes.subarray(start, start + w[at + 4]);
  }

  private drop(chunk: Chunk): void {
    this.heldBytes -= chunk.words.byteLength;
    if (this.spare === null && chunk.words.length === this.chunkWords) this.spare = chunk;
  }
}
