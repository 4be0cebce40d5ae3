/**
 * A FIFO of state records (records.ts) that keeps at most a bounded number of bytes in
 * memory and spills the rest to files of encoded states, as TLC does with its queue.
 * The queue is three parts in order: a head deque being taken from, spilled segments
 * (one file each, oldest first), and a tail deque being pushed to. When the tail passes
 * the bound its chunks become a new segment; when the head runs dry the oldest segment
 * is read back (or, with none left, the tail becomes the head). Records come out in the
 * order they went in, so BFS's levels, counts and shortest counterexamples are unchanged.
 *
 * Segment file: for each chunk, two u32 words (words used, records) then those words.
 * Synchronous I/O on purpose: the search loop has nothing else to do while it waits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordDeque, type RecordBuffer, type RecordView } from './records.ts';
import { defaultMemoryLimitMB } from './monitor.ts';
import type { ExploreOptions } from './types.ts';

/** Default in-memory bound of a spilling frontier: this, or a quarter of the memory limit if less. */
const DEFAULT_FRONTIER_MEMORY_MB = 1024;

/**
 * One queue's bound. A worker holds W + 1 queues (this level, the next, and the next
 * level's states for each other worker), so the run's bound is shared W (W + 1) ways.
 */
export function frontierMemoryBytes(options: ExploreOptions): number {
  const mb = options.frontierMemoryMB ?? Math.min(DEFAULT_FRONTIER_MEMORY_MB, (options.memoryLimitMB ?? defaultMemoryLimitMB()) / 4);
  const queues = options.workers === 1 ? 1 : options.workers * (options.workers + 1);
  return (mb * 2 ** 20) / queues;
}

/** A spilled segment file and how many records it holds. */
export interface SpilledSegment {
  readonly file: string;
  readonly records: number;
}

/** A push-only queue's whole contents, moved to another thread: buffers in memory, then files. */
export interface Handover {
  readonly files: readonly SpilledSegment[];
  readonly buffers: readonly RecordBuffer[];
}

export class SpillingQueue {
  private head: RecordDeque;
  private tail: RecordDeque;
  /** Spilled segment files, oldest first, and their record counts. */
  private readonly segments: SpilledSegment[] = [];
  private spilledRecords = 0;
  private nextSegment = 0;
  private dir: string | null = null;
  /** Records and bytes ever written to disk (for reports and tests). */
  spilledTotal = 0;
  spilledBytesTotal = 0;

  /**
   * `maxMemoryBytes` bounds the tail (the head holds at most one segment's worth more);
   * `parentDir` is where a private spill directory is made on first spill.
   */
  constructor(
    private readonly maxMemoryBytes: number,
    private readonly parentDir: string = os.tmpdir(),
  ) {
    // Chunks of at most a quarter of the bound (1 MB at most, 1 KB at least), so that a
    // small bound still holds several chunks rather than spilling at every push.
    const chunkWords = Math.max(256, Math.min(1 << 18, Math.floor(maxMemoryBytes / 16)));
    this.head = new RecordDeque(chunkWords);
    this.tail = new RecordDeque(chunkWords);
  }

  /** The fields of the record most recently taken. */
  get last(): RecordView {
    return this.head.last;
  }

  get size(): number {
    return this.head.size + this.spilledRecords + this.tail.size;
  }

  /** Bytes held in memory (spilled segments not counted). */
  get bytes(): number {
    return this.head.bytes + this.tail.bytes;
  }

  get spilledSegments(): number {
    return this.segments.length;
  }

  push(a: number, b: number, hi: number, lo: number, data: Uint8Array): void {
    this.tail.push(a, b, hi, lo, data);
    if (this.tail.bytes > this.maxMemoryBytes) this.spill();
  }

  /** Appends whole records handed over from another thread (the buffer is taken over). */
  adopt(b: RecordBuffer): void {
    this.tail.adopt(b);
    if (this.tail.bytes > this.maxMemoryBytes) this.spill();
  }

  /**
   * Empties a queue nothing was taken from, handing over its records in order (files
   * first): the receiving queue's adoptHandover takes the files over by renaming them.
   */
  takeAll(): Handover {
    if (this.head.size > 0) throw new Error('SpillingQueue.takeAll: records were taken from this queue');
    const files = this.segments.splice(0);
    this.spilledRecords = 0;
    return { files, buffers: this.tail.takeBuffers() };
  }

  /** Appends what another queue's takeAll handed over, in its order. */
  adoptHandover(h: Handover): void {
    if (h.files.length > 0) {
      // Whatever is in the tail was queued before these files' records.
      if (this.tail.size > 0) this.spill();
      const dir = this.ensureDir();
      for (const f of h.files) {
        const file = path.join(dir, `segment-${String(this.nextSegment++).padStart(6, '0')}.bin`);
        fs.renameSync(f.file, file);
        this.segments.push({ file, records: f.records });
        this.spilledRecords += f.records;
      }
    }
    for (const b of h.buffers) this.adopt(b);
  }

  /** FIFO take; the returned view is valid until the next take. Fields go to `last`. */
  shift(): Uint8Array {
    if (this.head.size === 0) this.refill();
    return this.head.shift();
  }

  /**
   * Calls `each` with every record held, oldest first, in runs of whole records (head,
   * spilled segments read back one chunk at a time, tail), leaving the queue as it is.
   */
  forEachRun(each: (words: Uint32Array, records: number) => void): void {
    for (const v of this.head.views()) each(v.words, v.records);
    for (const segment of this.segments) forEachSegmentRun(segment.file, each);
    for (const v of this.tail.views()) each(v.words, v.records);
  }

  /** Deletes the spill files (the queue is unusable afterwards if it had spilled). */
  dispose(): void {
    if (this.dir !== null) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.segments.length = 0;
    this.spilledRecords = 0;
  }

  private ensureDir(): string {
    if (this.dir === null) this.dir = fs.mkdtempSync(path.join(this.parentDir, 'heal-frontier-'));
    return this.dir;
  }

  private spill(): void {
    const dir = this.ensureDir();
    const buffers = this.tail.takeBuffers();
    const file = path.join(dir, `segment-${String(this.nextSegment++).padStart(6, '0')}.bin`);
    const fd = fs.openSync(file, 'w');
    let records = 0;
    try {
      const header = new Uint32Array(2);
      for (const b of buffers) {
        header[0] = b.words;
        header[1] = b.records;
        writeAll(fd, new Uint8Array(header.buffer));
        writeAll(fd, new Uint8Array(b.buffer, 0, b.words * 4));
        records += b.records;
        this.spilledBytesTotal += 8 + b.words * 4;
      }
    } finally {
      fs.closeSync(fd);
    }
    this.segments.push({ file, records });
    this.spilledRecords += records;
    this.spilledTotal += records;
  }

  private refill(): void {
    const segment = this.segments.shift();
    if (segment === undefined) {
      const drained = this.head;
      this.head = this.tail;
      this.tail = drained;
      return;
    }
    this.spilledRecords -= segment.records;
    const fd = fs.openSync(segment.file, 'r');
    try {
      const header = new Uint32Array(2);
      while (readAll(fd, new Uint8Array(header.buffer))) {
        const words = header[0];
        const records = header[1];
        const buffer = new ArrayBuffer(words * 4);
        if (!readAll(fd, new Uint8Array(buffer, 0, words * 4))) throw new Error(`frontier spill ${segment.file}: truncated`);
        this.head.adopt({ buffer, words, records });
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(segment.file);
  }
}

/** Calls `each` with every run of whole records of a segment file, in order. */
export function forEachSegmentRun(file: string, each: (words: Uint32Array, records: number) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const header = new Uint32Array(2);
    while (readAll(fd, new Uint8Array(header.buffer))) {
      const words = new Uint32Array(header[0]);
      if (!readAll(fd, new Uint8Array(words.buffer))) throw new Error(`frontier spill ${file}: truncated`);
      each(words, header[1]);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/** Fills `bytes` from the file's current position; false at a clean end of file. */
function readAll(fd: number, bytes: Uint8Array): boolean {
  let done = 0;
  while (done < bytes.length) {
    const n = fs.readSync(fd, bytes, done, bytes.length - done, null);
    if (n === 0) {
      if (done === 0) return false;
      throw new Error('frontier spill: truncated segment');
    }
    done += n;
  }
  return true;
}
