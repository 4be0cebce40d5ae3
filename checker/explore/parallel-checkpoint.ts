/**
 * Checkpoints of a parallel breadth-first search, taken between two levels, when every
 * worker is idle: the shared fingerprint table and the states in transit (the
 * coordinator's part), each worker's parent ids, counters and next level (its part).
 * A checkpoint is a directory of part files and a manifest (written last). It is
 * committed by renaming: the new directory is built under a temporary name, the old one
 * moved aside, the new one moved in, the old one removed; a kill between the two moves
 * leaves a complete directory under a temporary name, which a resume finds.
 *
 * Part files are sequences of length-prefixed sections (native-endian u32 words): JSON,
 * word arrays, and frontier runs (words, records, the words) ended by (0, 0).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CheckpointError, canonical, firstDifference, type CheckpointOptions } from './checkpoint.ts';
import type { RecordBuffer } from './records.ts';
import type { SpillingQueue } from './spill.ts';

const MANIFEST = 'manifest.json';

export class PartWriter {
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  json(value: unknown): void {
    const bytes = Buffer.from(JSON.stringify(value));
    const padded = new Uint8Array((bytes.length + 3) & ~3);
    padded.set(bytes);
    this.raw(Uint32Array.of(bytes.length));
    this.bytes(padded);
  }

  words(words: Uint32Array | Int32Array): void {
    this.raw(Uint32Array.of(words.length));
    this.bytes(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  }

  runs(each: (visit: (words: Uint32Array, records: number) => void) => void): void {
    each((words, records) => {
      this.raw(Uint32Array.of(words.length, records));
      this.bytes(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
    });
    this.raw(Uint32Array.of(0, 0));
  }

  queue(q: SpillingQueue): void {
    this.runs((visit) => q.forEachRun(visit));
  }

  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  private raw(words: Uint32Array): void {
    this.bytes(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  }

  private bytes(b: Uint8Array): void {
    for (let done = 0; done < b.length; ) done += fs.writeSync(this.fd, b, done, Math.min(b.length - done, 1 << 30));
  }
}

export class PartReader {
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'r');
  }

  json<T>(): T {
    const length = this.count();
    const bytes = new Uint8Array((length + 3) & ~3);
    this.fill(bytes);
    try {
      return JSON.parse(Buffer.from(bytes.subarray(0, length)).toString('utf8')) as T;
    } catch {
      throw new CheckpointError(`checkpoint ${this.file}: damaged (a JSON section is not JSON)`);
    }
  }

  words(): Uint32Array {
    const words = new Uint32Array(this.count());
    this.fill(new Uint8Array(words.buffer));
    return words;
  }

  /**
   * A word section read straight into shared memory: the visited table is most of a
   * checkpoint, and reading it into a private array first held it twice while resuming.
   */
  sharedWords(): SharedArrayBuffer {
    const shared = new SharedArrayBuffer(this.count() * 4);
    this.fill(new Uint8Array(shared));
    return shared;
  }

  /** Hands each run of a runs section to `each` as it is read, so a queue can spill as it adopts them. */
  forEachRun(each: (b: RecordBuffer) => void): void {
    for (;;) {
      const head = new Uint32Array(2);
      this.fill(new Uint8Array(head.buffer));
      if (head[0] === 0 && head[1] === 0) return;
      const words = new Uint32Array(head[0]);
      this.fill(new Uint8Array(words.buffer));
      each({ buffer: words.buffer as ArrayBuffer, words: head[0], records: head[1] });
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private count(): number {
    const w = new Uint32Array(1);
    this.fill(new Uint8Array(w.buffer));
    return w[0];
  }

  private fill(b: Uint8Array): void {
    for (let done = 0; done < b.length; ) {
      const n = fs.readSync(this.fd, b, done, Math.min(b.length - done, 1 << 30), null);
      if (n === 0) throw new CheckpointError(`checkpoint ${this.file}: truncated`);
      done += n;
    }
  }
}

export interface ParallelManifest {
  readonly identity: Record<string, unknown>;
  readonly workers: number;
  /** Levels fully expanded: the next one to expand is this one. */
  readonly level: number;
}

export const coordinatorPart = (dir: string) => path.join(dir, 'coordinator.bin');
export const workerPart = (dir: string, index: number) => path.join(dir, `worker-${index}.bin`);

/** A fresh directory to build the next checkpoint in. */
export function stagingDir(options: CheckpointOptions): string {
  const dir = `${options.file}.tmp-${process.pid}`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  return dir;
}

/** Writes the manifest (last: it marks the directory complete) and moves the directory in. */
export function commit(options: CheckpointOptions, dir: string, manifest: ParallelManifest): void {
  const tmp = path.join(dir, `${MANIFEST}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(manifest));
  fs.renameSync(tmp, path.join(dir, MANIFEST));
  const old = `${options.file}.old-${process.pid}`;
  if (fs.existsSync(options.file)) fs.renameSync(options.file, old);
  fs.renameSync(dir, options.file);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * The directory of the checkpoint to resume (null: none), checked against this run.
 * Prefers the committed one; after a kill between the two moves, a complete staged one.
 */
export function locate(options: CheckpointOptions, workers: number): { dir: string; manifest: ParallelManifest } | null {
  const parent = path.dirname(options.file);
  const name = path.basename(options.file);
  const candidates = [options.file, ...fs.readdirSync(parent).filter((f) => f.startsWith(`${name}.tmp-`) || f.startsWith(`${name}.old-`)).map((f) => path.join(parent, f))];
  for (const dir of candidates) {
    const file = path.join(dir, MANIFEST);
    if (!fs.existsSync(file)) continue;
    if (!fs.statSync(dir).isDirectory()) continue;
    let manifest: ParallelManifest;
    try {
      manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as ParallelManifest;
    } catch {
      throw new CheckpointError(`checkpoint ${dir}: damaged manifest (not JSON)`);
    }
    if (canonical(manifest.identity) !== canonical(options.identity)) {
      throw new CheckpointError(`checkpoint ${dir}: taken by another run: ${firstDifference(manifest.identity, options.identity)}`);
    }
    if (manifest.workers !== workers) {
      throw new CheckpointError(`checkpoint ${dir}: taken with ${manifest.workers} workers, resumed with ${workers}; resume with --workers ${manifest.workers}`);
    }
    return { dir, manifest };
  }
  if (fs.existsSync(options.file) && !fs.statSync(options.file).isDirectory()) {
    throw new CheckpointError(`checkpoint ${options.file}: taken by a one-worker run; resume it with --workers 1`);
  }
  return null;
}
