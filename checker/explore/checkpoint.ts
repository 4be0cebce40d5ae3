/**
 * Checkpoints of a breadth-first search on one thread: the visited set (fingerprint table
 * and parent ids), the frontier in order (including what had spilled to disk), the
 * counters, and an identity (configuration, tool version) that a resume must match.
 * Taken between two state expansions, where visited set, frontier and counters agree.
 *
 * One file, written under a temporary name, synced, then renamed over the previous one:
 * a kill at any moment leaves either the old checkpoint or the new one, never half of one.
 *
 * Layout (little-endian u32 words): magic "HEALCKP1", manifest length in bytes, manifest
 * JSON (padded to a word); table words, the table; parent chunk count, the chunks; then
 * frontier runs as (words, records, the words), ended by a run of 0 words and 0 records.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SpillingQueue } from './spill.ts';
import { PARENT_CHUNK_WORDS, VisitedSet } from './visited.ts';

const MAGIC = 'HEALCKP1';

/** A checkpoint that cannot be used for this run: another configuration, another version, damage. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

export interface CheckpointOptions {
  /** The checkpoint file (its directory must exist). */
  readonly file: string;
  /** Seconds between checkpoints (a run stopped by its time limit also writes one). */
  readonly everySeconds: number;
  /**
   * What the run is: model configuration, the options that change what is explored, the
   * tool version. Compared as canonical JSON with the checkpoint's on resume.
   */
  readonly identity: Record<string, unknown>;
  /** Continue from `file` when it exists (otherwise start afresh). */
  readonly resume: boolean;
}

export interface Counters {
  readonly generated: number;
  readonly maxDepthSeen: number;
  /** Depth of the state last taken from the frontier. */
  readonly depth: number;
  readonly truncatedByDepth: boolean;
}

interface Manifest {
  readonly identity: Record<string, unknown>;
  readonly counters: Counters;
  readonly distinct: number;
  readonly queued: number;
  readonly growAt: number;
}

export interface Restored {
  readonly counters: Counters;
  readonly visited: VisitedSet;
  /** The frontier's records in order, as buffers for SpillingQueue.adopt. */
  readonly frontier: Iterable<{ buffer: ArrayBuffer; words: number; records: number }>;
}

/** Canonical JSON (sorted keys), so identities compare by content. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The first field in which two identities differ, for a message a person can act on. */
export function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): string {
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (canonical(a[k]) === canonical(b[k])) continue;
    const x = a[k];
    const y = b[k];
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      return firstDifference(x as Record<string, unknown>, y as Record<string, unknown>, `${prefix}${k}.`);
    }
    return `${prefix}${k} is ${canonical(x)} in the checkpoint but ${canonical(y)} in this run`;
  }
  return 'identities differ';
}

export function writeCheckpoint(options: CheckpointOptions, counters: Counters, visited: VisitedSet, frontier: SpillingQueue): void {
  const parts = visited.exportParts();
  const manifest: Manifest = { identity: options.identity, counters, distinct: parts.size, queued: frontier.size, growAt: parts.growAt };
  const tmp = path.join(path.dirname(options.file), `.${path.basename(options.file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    const json = Buffer.from(JSON.stringify(manifest));
    const padded = new Uint8Array((json.length + 3) & ~3);
    padded.set(json);
    write(fd, Buffer.from(MAGIC, 'latin1'));
    writeWords(fd, Uint32Array.of(json.length));
    write(fd, padded);
    writeWords(fd, Uint32Array.of(parts.slots.length));
    writeWords(fd, parts.slots);
    writeWords(fd, Uint32Array.of(parts.parents.length));
    for (const chunk of parts.parents) writeWords(fd, chunk);
    frontier.forEachRun((words, records) => {
      writeWords(fd, Uint32Array.of(words.length, records));
      writeWords(fd, words);
    });
    writeWords(fd, Uint32Array.of(0, 0));
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, options.file);
}

/** Reads a checkpoint of the run `options.identity` names; throws CheckpointError otherwise. */
export function readCheckpoint(options: CheckpointOptions, mayAllocate: (bytes: number) => boolean): Restored {
  const file = options.file;
  const fd = fs.openSync(file, 'r');
  const fail = (why: string): never => {
    throw new CheckpointError(`checkpoint ${file}: ${why}`);
  };
  try {
    const magic = Buffer.alloc(8);
    if (!read(fd, magic) || magic.toString('latin1') !== MAGIC) fail(`not a checkpoint of this tool (expected the header ${MAGIC})`);
    const len = readWords(fd, 1, fail)[0];
    const raw = Buffer.alloc((len + 3) & ~3);
    if (!read(fd, raw)) fail('truncated manifest');
    let manifest: Manifest;
    try {
      manifest = JSON.parse(raw.subarray(0, len).toString('utf8')) as Manifest;
    } catch {
      return fail('damaged manifest (not JSON)');
    }
    if (canonical(manifest.identity) !== canonical(options.identity)) {
      fail(`taken by another run: ${firstDifference(manifest.identity, options.identity)}`);
    }
    const slotWords = readWords(fd, 1, fail)[0];
    if (!mayAllocate(slotWords * 4)) fail(`its visited set (${Math.round((slotWords * 4) / 2 ** 20)} MB) does not fit the memory limit`);
    const slots = readWords(fd, slotWords, fail);
    const chunkCount = readWords(fd, 1, fail)[0];
    const parents: Uint32Array[] = [];
    for (let i = 0; i < chunkCount; i++) parents.push(readWords(fd, PARENT_CHUNK_WORDS, fail));
    let visited: VisitedSet;
    try {
      visited = VisitedSet.fromParts({ slots, growAt: manifest.growAt, size: manifest.distinct, parents }, mayAllocate);
    } catch (e) {
      return fail(`damaged visited set (${(e as Error).message})`);
    }
    const frontier: { buffer: ArrayBuffer; words: number; records: number }[] = [];
    let queued = 0;
    for (;;) {
      const [words, records] = readWords(fd, 2, fail);
      if (words === 0 && records === 0) break;
      frontier.push({ buffer: readWords(fd, words, fail).buffer as ArrayBuffer, words, records });
      queued += records;
    }
    if (queued !== manifest.queued) fail(`damaged frontier (${queued} states where the manifest says ${manifest.queued})`);
    return { counters: manifest.counters, visited, frontier };
  } finally {
    fs.closeSync(fd);
  }
}

function write(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30));
}

function writeWords(fd: number, words: Uint32Array): void {
  write(fd, new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
}

function read(fd: number, bytes: Uint8Array): boolean {
  let done = 0;
  while (done < bytes.length) {
    const n = fs.readSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), null);
    if (n === 0) return false;
    done += n;
  }
  return true;
}

function readWords(fd: number, count: number, fail: (why: string) => never): Uint32Array {
  const words = new Uint32Array(count);
  if (!read(fd, new Uint8Array(words.buffer))) fail('truncated');
  return words;
}
