/**
 * A node's durable store on disk: an append-only log of persisted updates, each record
 * [length u32][crc32 u32][body], fsynced in groups. The latest record per key wins, as
 * in P-PERSIST-DONE (a record is only written for a persist the core issued, and the
 * core only takes a newer ts). On open the log is replayed and a torn or corrupt tail
 * (a crash in the middle of a write) is cut off; when the log holds more than twice the
 * live data it is rewritten as a snapshot (temp file, fsync, rename, fsync of the folder).
 *
 * The incarnation counter lives in meta.json, written the same atomic way: a restarted
 * node must never reuse an incarnation, or its timestamps could repeat (finding F8).
 */
import {
  closeSync, existsSync, fdatasync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface StoredUpdate {
  readonly key: number;
  readonly ts: number;
  readonly value: number;
  readonly seq: number;
}

/** Body: key u32, ts f64, value f64, seq f64, then the value's padding to valueBytes. */
const FIXED = 4 + 8 + 8 + 8;
const HEADER = 8;

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomic(path: string, content: string | Buffer): void {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncDir(join(path, '..'));
}

/** The deterministic filler that brings a value to valueBytes on disk and on the wire. */
export function padding(valueBytes: number): Buffer {
  const n = Math.max(0, valueBytes - 8);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = 97 + (i % 26);
  return b;
}

export interface OpenedStore {
  readonly updates: Map<number, StoredUpdate>;
  readonly incarnation: number;
  /** Whether a previous run of this node existed (meta.json was there). */
  readonly existed: boolean;
  /** Bytes of a torn tail cut off at open. */
  readonly tornBytes: number;
}

export class Store {
  private fd: number;
  private size: number;
  private readonly latest = new Map<number, StoredUpdate>();
  private readonly pad: Buffer;
  private syncing = false;
  private compactions = 0;

  private constructor(readonly dir: string, readonly valueBytes: number, opened: OpenedStore, fd: number, size: number) {
    this.fd = fd;
    this.size = size;
    for (const [k, u] of opened.updates) this.latest.set(k, u);
    this.pad = padding(valueBytes);
  }

  static open(dir: string, valueBytes: number): { store: Store; opened: OpenedStore } {
    mkdirSync(dir, { recursive: true });
    const metaPath = join(dir, 'meta.json');
    const existed = existsSync(metaPath);
    const incarnation = existed ? (JSON.parse(readFileSync(metaPath, 'utf8')) as { incarnation: number }).incarnation : 0;
    const logPath = join(dir, 'store.log');
    const updates = new Map<number, StoredUpdate>();
    let good = 0;
    let total = 0;
    if (existsSync(logPath)) {
      const buf = readFileSync(logPath);
      total = buf.length;
      good = replay(buf, updates);
    }
    const fd = openSync(logPath, existsSync(logPath) ? 'r+' : 'w+');
    if (good < total) {
      ftruncateSync(fd, good);
      fsyncSync(fd);
    }
    const opened: OpenedStore = { updates, incarnation, existed, tornBytes: total - good };
    return { store: new Store(dir, valueBytes, opened, fd, good), opened };
  }

  setIncarnation(incarnation: number): void {
    writeFileAtomic(join(this.dir, 'meta.json'), `${JSON.stringify({ incarnation })}\n`);
  }

  get bytes(): number {
    return this.size;
  }

  get busy(): boolean {
    return this.syncing;
  }

  get compacted(): number {
    return this.compactions;
  }

  private record(u: StoredUpdate): Buffer {
    const body = Buffer.allocUnsafe(FIXED + this.pad.length);
    body.writeUInt32BE(u.key, 0);
    body.writeDoubleBE(u.ts, 4);
    body.writeDoubleBE(u.value, 12);
    body.writeDoubleBE(u.seq, 20);
    this.pad.copy(body, FIXED);
    const head = Buffer.allocUnsafe(HEADER);
    head.writeUInt32BE(body.length, 0);
    head.writeUInt32BE(crc32(body), 4);
    return Buffer.concat([head, body]);
  }

  /**
   * Group commit: write every record of the batch, one fdatasync, then `done`. Only one
   * batch is in flight; the caller starts the next one from `done`.
   */
  commit(batch: readonly StoredUpdate[], done: (err: Error | null) => void): void {
    if (this.syncing) throw new Error('store: a batch is already in flight');
    this.syncing = true;
    const buf = Buffer.concat(batch.map((u) => this.record(u)));
    writeSync(this.fd, buf, 0, buf.length, this.size);
    this.size += buf.length;
    for (const u of batch) {
      const cur = this.latest.get(u.key);
      if (cur === undefined || u.ts >= cur.ts) this.latest.set(u.key, u);
    }
    fdatasync(this.fd, (err) => {
      this.syncing = false;
      done(err);
      this.maybeCompact();
    });
  }

  /** F-RESTART: a FullCopy restart starts from an empty store, on disk too. */
  clear(): void {
    this.latest.clear();
    this.rewrite();
  }

  private maybeCompact(): void {
    if (this.syncing) return;
    const live = this.latest.size * (HEADER + FIXED + this.pad.length);
    if (this.size > 64 * 1024 && this.size > 2 * live) this.rewrite();
  }

  /** Snapshot of the live records to a temp file, fsync, rename over the log, fsync the folder. */
  private rewrite(): void {
    const logPath = join(this.dir, 'store.log');
    const temp = `${logPath}.compact`;
    const fd = openSync(temp, 'w');
    const records = [...this.latest.values()].map((u) => this.record(u));
    const buf = Buffer.concat(records);
    writeSync(fd, buf);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, logPath);
    fsyncDir(this.dir);
    closeSync(this.fd);
    this.fd = openSync(logPath, 'r+');
    this.size = buf.length;
    this.compactions++;
  }

  close(): void {
    closeSync(this.fd);
  }

  static sizeOnDisk(dir: string): number {
    try {
      return statSync(join(dir, 'store.log')).size;
    } catch {
      return 0;
    }
  }
}

/** Replays the records into `into`; returns the length of the good prefix. */
export function replay(buf: Buffer, into: Map<number, StoredUpdate>): number {
  let p = 0;
  while (p + HEADER <= buf.length) {
    const len = buf.readUInt32BE(p);
    if (len < FIXED || p + HEADER + len > buf.length) break;
    const body = buf.subarray(p + HEADER, p + HEADER + len);
    if (crc32(body) !== buf.readUInt32BE(p + 4)) break;
    const u: StoredUpdate = { key: body.readUInt32BE(0), ts: body.readDoubleBE(4), value: body.readDoubleBE(12), seq: body.readDoubleBE(20) };
    const cur = into.get(u.key);
    if (cur === undefined || u.ts >= cur.ts) into.set(u.key, u);
    p += HEADER + len;
  }
  return p;
}
