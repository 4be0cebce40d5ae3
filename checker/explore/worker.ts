/**
 * One worker of a parallel breadth-first search. Each level it expands its share of the
 * frontier and inserts every successor straight into the shared fingerprint table. A new
 * state is checked by the worker that inserted it first, then queued for the next level
 * at the worker its fingerprint picks, so that every worker gets an even share: the
 * records for others are handed over (moved, not copied) through the coordinator.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel } from '../load-model.ts';
import { SpillingQueue } from './spill.ts';
import { PartReader, PartWriter } from './parallel-checkpoint.ts';
import { SharedFingerprintTable } from './shared-table.ts';
import { StateSpace } from './space.ts';
import { NO_PARENT, ParentIndex, type VisitedIndex } from './visited.ts';
import type { FromWorker, ToWorker, WorkerSetup, WorkerStats } from './worker-messages.ts';
import type { IncompleteReason } from './outcome.ts';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const W = setup.workers;
const me = setup.index;

/** This worker's view of the shared table: global ids are local * W + me. */
class WorkerVisited implements VisitedIndex {
  table = new SharedFingerprintTable(W, setup.table);
  parents = new ParentIndex();

  get size(): number {
    return this.parents.size;
  }

  /** The parent index only: the coordinator counts the shared table once. */
  get bytes(): number {
    return this.parents.bytes;
  }

  insert(hi: number, lo: number, parent: number): number {
    const local = this.parents.size;
    if (!this.table.tryInsert(hi, lo, local * W + me, me)) return -1;
    return this.parents.push(parent);
  }

  lookup(hi: number, lo: number): number {
    const id = this.table.lookup(hi, lo);
    return id >= 0 && id % W === me ? (id - me) / W : -1;
  }

  parentOf(id: number): number {
    return this.parents.get(id);
  }
}

const model = await loadModel(setup.ref);
const visited = new WorkerVisited();
const space = new StateSpace(model, setup.symmetry, visited, W, me);
/** This level's states still to expand, and the next level's found so far (both spill to disk). */
const newQueue = () => new SpillingQueue(setup.frontierMemoryBytes, setup.spillDir);
/** Records spilled by queues already drained. */
let spilledBefore = 0;
function retire(q: SpillingQueue): void {
  spilledBefore += q.spilledTotal;
  q.dispose();
}
let current = newQueue();
let next = newQueue();
/** New states for the other workers' next level, by worker index (own slot unused). */
const found = Array.from({ length: W }, () => newQueue());
let stop: IncompleteReason | null = null;
let truncated = false;
let tableFull = false;
let lastProgress = performance.now();
let lastMemoryCheck = lastProgress;

function stats(): WorkerStats {
  return {
    distinct: space.distinct,
    generated: space.generated,
    queued: current.size + next.size,
    maxDepth: space.maxDepthSeen,
    visitedBytes: space.visited.bytes,
    spilled: current.spilledTotal + next.spilledTotal + spilledBefore,
    violation: space.violation,
    stop,
    truncated,
    tableFull,
  };
}

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/**
 * Admits the state space.encode just produced; if new, queues it for the next level at
 * the worker its fingerprint picks (or here, with `keep`), then judges it: queued first,
 * because the bytes may be the encoder's own buffer.
 */
function admit(bytes: Uint8Array, parent: number, depth: number, keep = false): void {
  const rep = space.rep;
  const id = space.admit(parent, depth);
  if (id < 0) return;
  const to = keep ? me : space.lo % W;
  (to === me ? next : found[to]).push(id, depth, space.hi, space.lo, bytes);
  space.judgeReached(rep, id, depth);
}

/** The successors of the state being expanded: its id and their depth. */
let expanding = NO_PARENT;
let childDepth = 0;
function admitChild(bytes: Uint8Array): boolean {
  admit(bytes, expanding, childDepth);
  return space.violation === null;
}

function boundReached(): IncompleteReason | null {
  const now = performance.now();
  if (performance.timeOrigin + now >= setup.deadline[0]!) return 'time-limit';
  if (Atomics.load(setup.interrupted, 0) !== 0) return 'interrupted';
  if (now - lastMemoryCheck >= 100) {
    lastMemoryCheck = now;
    // Workers share the process, so each asks about the whole process's resident memory.
    if (process.memoryUsage.rss() / 2 ** 20 > setup.memoryLimitMB) return 'memory-limit';
  }
  if (now - lastProgress >= 1000) {
    lastProgress = now;
    send({ type: 'progress', stats: stats() });
  }
  return null;
}

function initialise(): void {
  // Worker 0 admits and expands the initial states.
  if (me !== 0) return;
  for (const s of model.initialStates()) {
    space.generated++;
    admit(space.encode(s), NO_PARENT, 0, true);
    if (space.violation !== null) return;
  }
}

/**
 * Expands this worker's share of the level. After a violation (here or, as the
 * coordinator tells with `finishing`, at another worker) the rest of the level is still
 * judged, without expanding: its quiescent and terminal properties may fail one level
 * shallower than a violation found on admission.
 */
function expand(probeOnly: boolean, finishing: boolean): void {
  tableFull = false;
  let sinceCheck = 0;
  while (current.size > 0 && stop === null) {
    // Checked before taking a state, so a paused level resumes exactly where it stopped.
    if (!finishing && space.violation === null && visited.table.full) {
      tableFull = true;
      return;
    }
    const bytes = current.shift();
    const id = current.last.a;
    const depth = current.last.b;
    if (space.violation !== null && depth >= space.violation.depth) {
      retire(current);
      current = newQueue();
      return;
    }
    const parentHi = current.last.hi;
    const parentLo = current.last.lo;
    const s = model.decode(bytes);
    const actions = model.actions(s);
    space.judgeExpanded(s, id, depth, actions, parentHi, parentLo);
    if (finishing || space.violation !== null || actions.length === 0) continue;
    if (probeOnly) {
      truncated = true;
      continue;
    }
    expanding = id;
    childDepth = depth + 1;
    space.expand(s, actions, parentHi, parentLo, false, admitChild);
    if (++sinceCheck >= 256) {
      sinceCheck = 0;
      stop = boundReached();
    }
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'expand': {
      if (message.newLevel) {
        retire(current);
        current = next;
        for (const h of message.incoming) current.adoptHandover(h);
        next = newQueue();
      }
      expand(message.probeOnly, message.finishing);
      const handOver = found.map((q) => {
        spilledBefore += q.spilledTotal;
        q.spilledTotal = 0;
        return q.takeAll();
      });
      send({ type: 'expanded', stats: stats(), found: handOver }, handOver.flatMap((h) => h.buffers.map((b) => b.buffer)));
      return;
    }
    case 'table':
      visited.table = new SharedFingerprintTable(W, message.table);
      send({ type: 'stats', stats: stats() });
      return;
    case 'parent':
      send({ type: 'id', id: space.visited.parentOf(message.localId) });
      return;
    case 'snapshot': {
      // Between levels: this level's queue is drained, the handovers taken.
      if (current.size > 0 || found.some((q) => q.size > 0)) throw new Error('worker: snapshot requested mid-level');
      const w = new PartWriter(message.file);
      w.json({ generated: space.generated, maxDepthSeen: space.maxDepthSeen, size: visited.parents.size, spilled: spilledBefore + next.spilledTotal });
      const chunks = visited.parents.exportChunks();
      w.json(chunks.length);
      for (const c of chunks) w.words(c);
      w.queue(next);
      w.close();
      send({ type: 'snapshotted' });
      return;
    }
    case 'stop':
      current.dispose();
      next.dispose();
      for (const q of found) q.dispose();
      port.close();
      return;
    default: {
      const unknown: never = message;
      throw new Error(`worker: unknown message ${JSON.stringify(unknown)}`);
    }
  }
});

function restore(file: string): void {
  const r = new PartReader(file);
  try {
    const counters = r.json<{ generated: number; maxDepthSeen: number; size: number; spilled: number }>();
    const chunks: Uint32Array[] = [];
    for (let n = r.json<number>(); n > 0; n--) chunks.push(r.words());
    visited.parents = ParentIndex.fromChunks(chunks, counters.size);
    space.generated = counters.generated;
    space.maxDepthSeen = counters.maxDepthSeen;
    // Adopted as read: the queue spills past its bound instead of holding the whole level.
    r.forEachRun((b) => next.adopt(b));
  } finally {
    r.close();
  }
}

if (setup.restore !== undefined) restore(setup.restore);
else initialise();
send({ type: 'stats', stats: stats() });
