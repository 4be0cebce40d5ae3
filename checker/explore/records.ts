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
}

function newChunk(words: number): Chunk {
  const buffer = new ArrayBuffer(words * 4);
  return { words: new Uint32Array(buffer), bytes: new Uint8Array(buffer), start: 0, end: 0 };
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
    this.count--;
    if (chunk.start === chunk.end) this.drop(this.chunks.pop()!);
    return view;
  }

  /**
   * Hands the filled chunks over (for transfer to another thread) and empties the deque.
   * Each buffer holds whole records from offset 0 to `words` u32 words.
   */
  takeBuffers(): { buffer: ArrayBuffer; words: number }[] {
    const out = this.chunks.map((c) => {
      if (c.start !== 0) throw new Error('takeBuffers after a pop is not supported');
      return { buffer: c.words.buffer as ArrayBuffer, words: c.end };
    });
    this.chunks = [];
    this.count = 0;
    this.heldBytes = 0;
    return out;
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

/** Reads the records of a buffer produced by takeBuffers, in order. */
export function forEachRecord(
  buffer: ArrayBuffer,
  words: number,
  visit: (a: number, b: number, hi: number, lo: number, data: Uint8Array) => void,
): void {
  const w = new Uint32Array(buffer);
  const bytes = new Uint8Array(buffer);
  let at = 0;
  while (at < words) {
    const start = (at + HEADER_WORDS) * 4;
    visit(w[at], w[at + 1], w[at + 2], w[at + 3], bytes.subarray(start, start + w[at + 4]));
    at += HEADER_WORDS + ((w[at + 4] + 3) >>> 2) + 1;
  }
}
