/**
 * Level-synchronous parallel breadth-first search over worker_threads. All workers insert
 * into one shared fingerprint table (shared-table.ts); a state belongs to the worker that
 * inserted it first, which checks it and expands it in the next level. Each state is
 * admitted exactly once, so the distinct count is the one-thread count, and levels keep
 * BFS's shortest traces. Between rounds this coordinator grows the table when the workers
 * report it full, then lets them resume the same level.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { forEachSegmentRun, frontierMemoryBytes, SpillingQueue, type Handover } from './spill.ts';
import { commit, coordinatorPart, locate, PartReader, PartWriter, stagingDir, workerPart } from './parallel-checkpoint.ts';
import { loadModel } from '../load-model.ts';
import { compiled, entryModule } from '../locate.ts';
import type { ModelRef } from '../model.ts';
import type { Monitor } from './monitor.ts';
import type { IncompleteReason, Outcome } from './outcome.ts';
import type { FromWorker, ToWorker, WorkerSetup, WorkerStats } from './worker-messages.ts';
import { SharedFingerprintTable } from './shared-table.ts';
import { StateSpace, type FoundViolation } from './space.ts';
import { VisitedSet } from './visited.ts';
import { rebuildCounterexample } from './trace.ts';
import type { ExploreOptions } from './types.ts';

// From the sources, worker.mjs registers tsx first (workers do not inherit the loader).
const WORKER_ENTRY = compiled ? entryModule('checker/explore/worker.ts') : new URL('./worker.mjs', import.meta.url);

/** One worker and its request/reply channel (one request in flight at a time). */
class WorkerHandle {
  latest: WorkerStats | null = null;
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    readonly worker: Worker,
    private readonly onProgress: () => void,
  ) {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') {
        this.latest = m.stats;
        this.onProgress();
        return;
      }
      if ('stats' in m) this.latest = m.stats;
      const p = this.pending;
      this.pending = null;
      p?.resolve(m);
    });
    const fail = (e: Error) => {
      this.failure = e;
      const p = this.pending;
      this.pending = null;
      p?.reject(e);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.pending) fail(new Error(`explorer worker exited with code ${code}`));
    });
  }

  /** The next non-progress message (the first one is the worker's initial stats). */
  reply(): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  request(message: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    const r = this.reply();
    this.worker.postMessage(message, transfer);
    return r;
  }
}

export async function exploreParallel(ref: ModelRef, options: ExploreOptions, monitor: Monitor): Promise<Outcome> {
  const W = options.workers;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  let level = 0;
  let table = new SharedFingerprintTable(W, 1 << 16);
  const handles: WorkerHandle[] = [];
  const total = (f: (s: WorkerStats) => number) => handles.reduce((sum, h) => sum + (h.latest ? f(h.latest) : 0), 0);
  // New states found by one worker for another's next level, held here between levels.
  let inTransit: Handover[][] = Array.from({ length: W }, () => []);
  const handoverRecords = (h: Handover) => h.buffers.reduce((n, b) => n + b.records, 0) + h.files.reduce((n, f) => n + f.records, 0);
  const transitRecords = () => inTransit.reduce((sum, hs) => sum + hs.reduce((n, h) => n + handoverRecords(h), 0), 0);
  const pending = () => total((s) => s.queued) + transitRecords();
  const progress = () => ({
    distinctStates: total((s) => s.distinct),
    generatedStates: total((s) => s.generated),
    queued: pending(),
    depth: level,
  });
  let lastProgress = performance.now();
  const emitProgress = () => {
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= 1000) {
      lastProgress = now;
      options.onProgress(monitor.progress(progress()));
    }
  };

  const ckpt = options.checkpoint;
  const resume = ckpt?.resume ? locate(ckpt, W) : null;
  const spillDir = fs.mkdtempSync(path.join(options.spillDir ?? os.tmpdir(), 'heal-explore-'));
  if (resume !== null) {
    const r = new PartReader(coordinatorPart(resume.dir));
    try {
      table = new SharedFingerprintTable(W, r.sharedWords());
      // Through a spilling queue, so that a level in transit is not held whole in memory;
      // the worker takes its files over by renaming (both under spillDir).
      inTransit = Array.from({ length: W }, () => {
        const q = new SpillingQueue(frontierMemoryBytes(options), spillDir);
        r.forEachRun((b) => q.adopt(b));
        return [q.takeAll()];
      });
    } finally {
      r.close();
    }
    level = resume.manifest.level;
  }
  let lastCheckpoint = performance.now();
  const deadline = new Float64Array(new SharedArrayBuffer(8));
  deadline[0] = Number.POSITIVE_INFINITY;
  // Workers cannot see the signal: they read this flag where they read the deadline.
  const interrupted = new Int32Array(new SharedArrayBuffer(4));
  const onInterrupt = () => Atomics.store(interrupted, 0, 1);
  if (options.interrupt?.aborted) onInterrupt();
  options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  for (let index = 0; index < W; index++) {
    const setup: WorkerSetup = {
      ref,
      symmetry: options.symmetry,
      index,
      workers: W,
      memoryLimitMB: monitor.memoryLimitMB,
      deadline,
      interrupted,
      frontierMemoryBytes: frontierMemoryBytes(options),
      spillDir,
      ...(resume !== null ? { restore: workerPart(resume.dir, index) } : {}),
      table: table.buffer,
    };
    handles.push(new WorkerHandle(new Worker(WORKER_ENTRY, { workerData: setup }), emitProgress));
  }

  /** Between levels, every worker idle: the table, the states in transit, each worker's part. */
  const checkpoint = async () => {
    const dir = stagingDir(ckpt!);
    await Promise.all(
      handles.map(async (h, i) => {
        const r = await h.request({ type: 'snapshot', file: workerPart(dir, i) });
        if (r.type !== 'snapshotted') throw new Error(`explorer worker: expected 'snapshotted', got '${r.type}'`);
      }),
    );
    const w = new PartWriter(coordinatorPart(dir));
    w.words(table.words);
    for (const handovers of inTransit) {
      w.runs((visit) => {
        for (const h of handovers) {
          for (const f of h.files) forEachSegmentRun(f.file, visit);
          for (const b of h.buffers) visit(new Uint32Array(b.buffer, 0, b.words), b.records);
        }
      });
    }
    w.close();
    commit(ckpt!, dir, { identity: ckpt!.identity, workers: W, level });
    lastCheckpoint = performance.now();
  };

  try {
    await Promise.all(handles.map((h) => h.reply()));
    // The time limit counts search time: starting the workers (loading the model) can take
    // seconds on a loaded machine.
    if (options.timeLimitSeconds !== undefined) deadline[0] = performance.timeOrigin + monitor.startTimeLimit();
    const resumedFrom = resume !== null ? total((s) => s.distinct) : null;
    let stop: IncompleteReason | null = null;
    let violation: FoundViolation | null = null;
    const verdict = () => {
      for (const h of handles) {
        const s = h.latest!;
        // The shallowest: a level is judged to its end after a violation one level deeper.
        if (s.violation && (violation === null || s.violation.depth < violation.depth)) violation = s.violation;
        if (s.stop && !stop) stop = s.stop;
      }
      if (!violation && !stop && total((s) => s.distinct) >= maxStates && pending() > 0) stop = 'max-states';
      if (!violation && !stop) {
        const memory = monitor.check(progress);
        if (memory) stop = memory;
      }
      return violation !== null || stop !== null;
    };

    let truncated = false;
    while (!verdict() && pending() > 0) {
      const probeOnly = level >= maxDepth;
      let newLevel = true;
      // One level: rounds until every worker has expanded its share (a round ends early
      // when the table fills; it is grown and the same level resumes).
      for (;;) {
        const incoming = inTransit;
        if (newLevel) inTransit = Array.from({ length: W }, () => []);
        const replies = await Promise.all(
          handles.map((h, w) => {
            const mine = newLevel ? incoming[w] : [];
            return h.request(
              { type: 'expand', probeOnly, finishing: violation !== null, newLevel, incoming: mine },
              mine.flatMap((m) => m.buffers.map((b) => b.buffer)),
            );
          }),
        );
        for (const r of replies) {
          if (r.type !== 'expanded') throw new Error(`explorer worker: expected 'expanded', got '${r.type}'`);
          r.found.forEach((h, to) => {
            if (h.buffers.length > 0 || h.files.length > 0) inTransit[to].push(h);
          });
        }
        newLevel = false;
        if (!handles.some((h) => h.latest!.tableFull)) break;
        // A violation ends the run, but only once the whole level is judged: resume it.
        if (verdict() && stop !== null) break;
        if (violation !== null) continue;
        if (monitor.mayAllocate(SharedFingerprintTable.bytesFor(W, table.capacity * 2))) {
          table = table.grown();
          await Promise.all(handles.map((h) => h.request({ type: 'table', table: table.buffer })));
        } else if (table.crowdable) {
          table.crowd();
        } else {
          stop = 'memory-limit';
          break;
        }
      }
      const partialLevel = stop !== null || handles.some((h) => h.latest!.stop !== null || h.latest!.tableFull);
      if (probeOnly) {
        truncated = handles.some((h) => h.latest!.truncated);
        verdict();
        break;
      }
      if (partialLevel) break;
      level++;
      emitProgress();
      if (ckpt !== undefined && !verdict() && performance.now() - lastCheckpoint >= ckpt.everySeconds * 1000) await checkpoint();
    }
    verdict();
    if (!stop && !violation && truncated) stop = 'max-depth';

    let counterexample: Outcome['counterexample'] = null;
    if (violation) {
      const model = await loadModel(ref);
      // Only for encoding the re-executed states; ids come from the shared table.
      const space = new StateSpace(model, options.symmetry, new VisitedSet(0));
      const ask = async (h: WorkerHandle, m: ToWorker) => {
        const r = await h.request(m);
        if (r.type !== 'id') throw new Error(`explorer worker: expected 'id', got '${r.type}'`);
        return r.id;
      };
      counterexample = await rebuildCounterexample(
        space,
        {
          parentOf: (id) => ask(handles[id % W], { type: 'parent', localId: Math.floor(id / W) }),
          idOf: (hi, lo) => table.lookup(hi, lo),
        },
        violation,
      );
    }
    return {
      stop: counterexample ? null : stop,
      counterexample,
      distinct: total((s) => s.distinct),
      generated: total((s) => s.generated),
      maxDepth: handles.reduce((m, h) => Math.max(m, h.latest?.maxDepth ?? 0), 0),
      // After `level` whole levels every state of depth < level was expanded (or judged
      // terminal) and every state of depth level admitted and judged. A level cut short
      // (time, memory) is not counted.
      checkedDepth: stop === 'max-depth' ? maxDepth : Math.max(0, level - 1),
      visitedBytes: table.words.byteLength + total((s) => s.visitedBytes),
      spilled: total((s) => s.spilled),
      ...(resumedFrom !== null ? { resumedFrom } : {}),
    };
  } finally {
    options.interrupt?.removeEventListener('abort', onInterrupt);
    await Promise.all(handles.map((h) => h.worker.terminate()));
    fs.rmSync(spillDir, { recursive: true, force: true });
  }
}
