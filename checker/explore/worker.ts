/**
 * One worker of a parallel breadth-first search: it owns the fingerprints with
 * ownerOf(lo) === its index, expands its share of each level, admits the successors it
 * owns and ships the others, as encoded bytes, to their owners through the coordinator.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel } from '../load-model.ts';
import { forEachRecord, RecordDeque } from './records.ts';
import { StateSpace } from './space.ts';
import { NO_PARENT, VisitedSetFull } from './visited.ts';
import { ownerOf, type FromWorker, type ToWorker, type WorkerSetup, type WorkerStats } from './protocol.ts';
import type { IncompleteReason } from './outcome.ts';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const model = await loadModel(setup.ref);
// Workers share the process, so each asks about the whole process's resident memory.
const mayAllocate = (bytes: number) => process.memoryUsage.rss() + bytes <= setup.memoryLimitMB * 2 ** 20;
const space = new StateSpace(model, setup.symmetry, mayAllocate, setup.workers, setup.index);
const W = setup.workers;
const me = setup.index;
let queue = new RecordDeque();
let stop: IncompleteReason | null = null;
let truncated = false;
/**
 * Fingerprints this worker recently shipped, direct-mapped and lossy. Most successors are
 * duplicates (interleavings meet again), and a fingerprint shipped once is in its owner's
 * visited set by the end of that level, so shipping it again would only cost copying.
 */
const SHIPPED_BITS = 18;
const shipped = new Uint32Array(2 << SHIPPED_BITS);
const SHIPPED_MASK = (1 << SHIPPED_BITS) - 1;
let lastProgress = performance.now();
let lastMemoryCheck = lastProgress;

function stats(): WorkerStats {
  return {
    distinct: space.distinct,
    generated: space.generated,
    queued: queue.size,
    maxDepth: space.maxDepthSeen,
    visitedBytes: space.visited.bytes,
    violation: space.violation,
    stop,
    truncated,
  };
}

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** Admits a state this worker owns (fingerprint in space.hi/lo); queues it if new. */
function admitOwned(rep: unknown, bytes: Uint8Array, parent: number, depth: number, next: RecordDeque): void {
  const id = space.admit(rep, parent, depth);
  if (id >= 0) next.push(id, depth, space.hi, space.lo, bytes);
}

function boundReached(): IncompleteReason | null {
  const now = performance.now();
  if (performance.timeOrigin + now >= setup.deadline) return 'time-limit';
  if (now - lastMemoryCheck >= 100) {
    lastMemoryCheck = now;
    if (process.memoryUsage.rss() / 2 ** 20 > setup.memoryLimitMB) return 'memory-limit';
  }
  if (now - lastProgress >= 1000) {
    lastProgress = now;
    send({ type: 'progress', stats: stats() });
  }
  return null;
}

function guarded(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof VisitedSetFull)) throw e;
    stop = 'memory-limit';
  }
}

function initialise(): void {
  guarded(() => {
    const next = new RecordDeque();
    for (const s of model.initialStates()) {
      // Every worker sees every initial state; only worker 0 counts them as generated.
      if (me === 0) space.generated++;
      const bytes = space.encode(s);
      if (ownerOf(space.lo, W) === me) admitOwned(space.rep, bytes, NO_PARENT, 0, next);
    }
    queue = next;
  });
}

function expand(probeOnly: boolean): (readonly { buffer: ArrayBuffer; words: number }[])[] {
  const outboxes = Array.from({ length: W }, () => new RecordDeque());
  const next = new RecordDeque();
  guarded(() => {
    let sinceCheck = 0;
    while (queue.size > 0 && stop === null && space.violation === null) {
      const bytes = queue.shift();
      const id = queue.last.a;
      const depth = queue.last.b;
      const parentHi = queue.last.hi;
      const parentLo = queue.last.lo;
      const s = model.decode(bytes);
      const actions = model.actions(s);
      if (actions.length === 0) {
        space.checkTerminal(s, id);
        continue;
      }
      if (probeOnly) {
        truncated = true;
        continue;
      }
      for (let i = 0; i < actions.length && space.violation === null; i++) {
        const t = model.next(s, actions[i]);
        space.generated++;
        const encoded = space.encode(t);
        // A step back to the state itself (a stuttering action) needs no table probe.
        if (space.hi === parentHi && space.lo === parentLo) continue;
        const owner = ownerOf(space.lo, W);
        if (owner === me) admitOwned(space.rep, encoded, id, depth + 1, next);
        else {
          const slot = (space.hi & SHIPPED_MASK) << 1;
          if (shipped[slot] === space.hi && shipped[slot + 1] === space.lo && (space.hi | space.lo) !== 0) continue;
          shipped[slot] = space.hi;
          shipped[slot + 1] = space.lo;
          outboxes[owner].push(id, depth + 1, space.hi, space.lo, encoded);
        }
      }
      if (++sinceCheck >= 256) {
        sinceCheck = 0;
        stop = boundReached();
      }
    }
  });
  queue = next;
  return outboxes.map((o) => o.takeBuffers());
}

function insert(buffers: readonly { buffer: ArrayBuffer; words: number }[]): void {
  guarded(() => {
    for (const { buffer, words } of buffers) {
      forEachRecord(buffer, words, (parent, depth, hi, lo, bytes) => {
        if (space.violation !== null || stop !== null) return;
        space.hi = hi;
        space.lo = lo;
        const id = space.admitEncoded(bytes, parent, depth);
        if (id >= 0) queue.push(id, depth, hi, lo, bytes);
      });
    }
  });
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'expand': {
      const outboxes = expand(message.probeOnly);
      send({ type: 'expanded', stats: stats(), outboxes }, outboxes.flat().map((b) => b.buffer));
      return;
    }
    case 'insert':
      insert(message.buffers);
      send({ type: 'stats', stats: stats() });
      return;
    case 'parent':
      send({ type: 'id', id: space.visited.parentOf(message.localId) });
      return;
    case 'lookup': {
      const local = space.visited.lookup(message.hi, message.lo);
      send({ type: 'id', id: local < 0 ? -1 : space.globalId(local) });
      return;
    }
    case 'stop':
      port.close();
      return;
    default: {
      const unknown: never = message;
      throw new Error(`worker: unknown message ${JSON.stringify(unknown)}`);
    }
  }
});

initialise();
send({ type: 'stats', stats: stats() });
