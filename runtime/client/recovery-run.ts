/**
 * One run of the recovery experiment: start a cluster, preload `size` keys, run the load,
 * SIGKILL a node, restart it after the downtime, and measure:
 * - restart -> promotion, from DIR/views.jsonl (the membership service's own clock);
 * - restart -> serving reads, and -> the node saying it is a replica, by polling it;
 * - bytes and entries transferred, from the restarted node's status `stats` (the MU
 *   messages it received), else from what the other nodes sent over the run;
 * - throughput (acknowledged ops/s) before the crash, while the node is down, and
 *   while it recovers, relative to before.
 * The run is judged too: final reads, lost writes; the history is kept for lincheck.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Launcher } from './launch.ts';
import { clientEndpoints } from './load.ts';
import { runCluster, type RunResult } from './run.ts';
import { nodeStatus, recoveryTransfer, watchRecovery, type NodeStatus, type Watch } from './recovery-watch.ts';
import { throughputBetween, throughputSeries } from './stats.ts';
import { readViews, recoveryViews } from './views.ts';
import type { WorkloadName } from './workload.ts';

export interface RecoveryConfig {
  readonly persistency: string;
  readonly recovery: string;
  readonly size: number;
  readonly downtimeS: number;
}

export interface RecoveryRunOptions {
  readonly launcher: Launcher;
  readonly dir: string;
  readonly nodes: number;
  readonly valueBytes: number;
  /** heal cluster --lease-ms: on a loaded machine the default 300 ms can expire live nodes (finding R3). */
  readonly leaseMs?: number;
  readonly clients: number;
  readonly rate?: number;
  readonly durationS: number;
  readonly killAtS: number;
  readonly workload: WorkloadName;
  readonly seed: number;
  /** Under Scope persistency, each client ends its scope after this many writes (default 10). */
  readonly scopeEvery?: number;
  readonly bucketMs: number;
  readonly onProgress?: (line: string) => void;
  /** Aborted: stop the run where it is and stop the cluster (recoveryRun returns null). */
  readonly signal?: AbortSignal;
}

/** Times in ms since the load started (the chart's axis). */
export interface Marks {
  readonly crash?: number;
  readonly restart?: number;
  readonly promotion?: number;
  readonly serving?: number;
}

export interface RecoveryMeasure {
  readonly config: RecoveryConfig;
  readonly node: number;
  readonly restartToPromotionMs: number | null;
  readonly restartToServingMs: number | null;
  readonly restartToReplicaStatusMs: number | null;
  readonly bytesTransferred: number | null;
  readonly entriesTransferred: number | null;
  readonly throughputBefore: number | null;
  readonly throughputDown: number | null;
  readonly throughputRecovering: number | null;
  readonly relativeRecovering: number | null;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly preloaded: number;
  readonly lostWrites: number | null;
  /** Crashes the membership service declared beyond the nemesis's kills (a node that missed its lease). */
  readonly otherCrashes: number;
  readonly marks: Marks;
  readonly series: [number, number][];
  readonly notes: string[];
}

const VICTIM = 1;
const WATCH_GRACE_MS = 5000;
const sum = (xs: (number | undefined)[]) => (xs.some((x) => x === undefined) ? undefined : xs.reduce<number>((a, b) => a + b!, 0));

/** null: interrupted (o.signal), the cluster stopped and nothing measured. */
export async function recoveryRun(config: RecoveryConfig, o: RecoveryRunOptions): Promise<{ measure: RecoveryMeasure; run: RunResult } | null> {
  if (o.signal?.aborted) return null;
  const handle = await o.launcher({ dir: o.dir, nodes: o.nodes, persistency: config.persistency, recovery: config.recovery, keys: config.size, valueBytes: o.valueBytes, leaseMs: o.leaseMs });
  const nodes = clientEndpoints(handle.cluster);
  const victim = nodes.find((n) => n.id === VICTIM) ?? nodes[0]!;
  const notes: string[] = [];
  const stopWatch = new AbortController();
  // An interrupt does not wait for the preload, the load or the final reads to notice it
  // (the preload and the final reads do not look at the signal): the run is abandoned
  // and the finally below stops the cluster, which ends whatever requests were pending.
  let onAbort = () => {};
  const interrupted = new Promise<null>((resolve) => (onAbort = () => resolve(null)));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (o.signal?.aborted) return null;
    const before = await Promise.race([Promise.all(nodes.map((n) => nodeStatus(n))), interrupted]);
    if (before === null) return null;
    let watch: Promise<Watch> | undefined;
    const running = runCluster({
      cluster: handle.cluster, clients: o.clients, rate: o.rate, durationMs: o.durationS * 1000, workload: o.workload, keys: config.size, seed: o.seed,
      // Without scope ends a Scope run would never pay for durability, and compare unfairly.
      scopeEvery: config.persistency === 'scope' ? (o.scopeEvery ?? 10) : 0,
      preload: config.size,
      nemesis: { node: victim.id, atMs: o.killAtS * 1000, restartAfterMs: config.downtimeS * 1000, duringRecovery: false, seed: o.seed },
      finalReads: true, healthyTimeoutMs: 120_000, onProgress: o.onProgress,
      onNemesis: (a, history) => {
        if (a.what === 'restart') watch = watchRecovery(victim, () => history.now() / 1e6, stopWatch.signal);
      },
      ...(o.signal ? { signal: o.signal, abandon: o.signal } : {}),
    });
    // Abandoned on an interrupt, it fails as the cluster stops: not an unhandled rejection.
    running.catch(() => {});
    const run = await Promise.race([running, interrupted]);
    if (run === null) return null;
    // A restart late in the run may leave the watch little time before the run ends: give it a few seconds more.
    if (watch) await Promise.race([watch, sleep(WATCH_GRACE_MS, undefined, { signal: stopWatch.signal }).catch(() => {}), interrupted]);
    if (o.signal?.aborted) return null;
    stopWatch.abort();
    const w = await (watch ?? Promise.resolve<Watch>({ servingMs: undefined, replicaMs: undefined, lastStatus: undefined }));
    if (run.nemesisError) notes.push(`nemesis: ${run.nemesisError}`);
    const after = await Promise.all(nodes.map((n) => nodeStatus(n)));
    return { measure: measureRun(config, victim.id, run, w, readViews(handle.dir), before, after, o.bucketMs, notes), run };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    stopWatch.abort();
    await handle.stop();
  }
}

/** The figures of one run from what was recorded; pure, so the tests can feed it a run of the fake. */
export function measureRun(
  config: RecoveryConfig,
  node: number,
  run: RunResult,
  w: Watch,
  views: ReturnType<typeof readViews>,
  before: (NodeStatus | undefined)[],
  after: (NodeStatus | undefined)[],
  bucketMs: number,
  notes: string[],
): RecoveryMeasure {
  const start = run.load.startMs;
  const rel = (t: number | undefined) => (t === undefined ? undefined : t - start);
  const kill = run.nemesis.find((a) => a.what === 'kill');
  const restart = run.nemesis.find((a) => a.what === 'restart');
  const { restart: restartView, promote } = recoveryViews(views, node);
  const promotionMs = restartView && promote ? promote.t - restartView.t : null;
  if (restart && !promote) notes.push('no promotion of the restarted node in views.jsonl');
  const otherCrashes = unplannedCrashes(views, run.nemesis.filter((a) => a.what === 'kill').length);
  if (otherCrashes > 0) {
    notes.push(`the membership service declared ${otherCrashes} crash(es) the nemesis did not cause (a node missed its lease): restart->promotion is the first recovery's, the later figures may be a later one's`);
  }
  if (run.healthyMs === undefined) notes.push('the cluster did not become whole (every node a live replica) before the final reads');
  // The views' clock is the supervisor's: the promotion is placed on the load's axis
  // at (our restart ack) + (its restart -> promotion), so both clocks agree at the restart.
  const marks: Marks = {
    crash: rel(kill?.tMs),
    restart: rel(restart?.tMs),
    promotion: restart && promotionMs !== null ? rel(restart.tMs + promotionMs) : undefined,
    serving: rel(w.servingMs),
  };
  const c = run.load.completions;
  const windowBefore = marks.crash === undefined ? undefined : Math.max(0, marks.crash - 5000);
  const throughputBefore = marks.crash === undefined || windowBefore === undefined ? null : throughputBetween(c, windowBefore, marks.crash);
  const throughputDown = marks.crash !== undefined && marks.restart !== undefined ? throughputBetween(c, marks.crash, marks.restart) : null;
  const recoveringEnd = marks.promotion ?? marks.serving;
  const throughputRecovering = marks.restart !== undefined && recoveringEnd !== undefined ? throughputBetween(c, marks.restart, recoveringEnd) : null;
  if (recoveringEnd !== undefined && marks.restart !== undefined && recoveringEnd - marks.restart < 10 * bucketMs) {
    notes.push(`recovery window ${(recoveringEnd - marks.restart).toFixed(0)} ms: its throughput counts few operations`);
  }
  // Node ids are their positions (runtime contract: ids 0..N-1). The status at the end of the run covers the whole recovery.
  const received = recoveryTransfer(after[node] ?? w.lastStatus, 'received');
  const others = after.map((_, i) => i).filter((i) => i !== node);
  const sentDelta = (field: 'bytes' | 'entries') =>
    sum(others.map((i) => {
      const a = recoveryTransfer(after[i], 'sent')[field];
      const b = recoveryTransfer(before[i], 'sent')[field];
      return a === undefined || b === undefined ? undefined : a - b;
    }));
  const bytes = received.bytes ?? sentDelta('bytes');
  const entries = received.entries ?? sentDelta('entries');
  if (bytes === undefined) notes.push('the nodes report no recovery transfer in status stats (received.MU.bytes, muEntriesReceived)');
  const s = run.load.summary;
  return {
    config,
    node,
    restartToPromotionMs: promotionMs,
    restartToServingMs: w.servingMs !== undefined && restart ? w.servingMs - restart.tMs : null,
    restartToReplicaStatusMs: w.replicaMs !== undefined && restart ? w.replicaMs - restart.tMs : null,
    bytesTransferred: bytes ?? null,
    entriesTransferred: entries ?? null,
    throughputBefore,
    throughputDown,
    throughputRecovering,
    relativeRecovering: throughputBefore && throughputRecovering !== null ? throughputRecovering / throughputBefore : null,
    ok: s.ok,
    fail: s.fail,
    info: s.info,
    preloaded: run.preloaded,
    lostWrites: run.lostWrites?.length ?? null,
    otherCrashes,
    marks,
    series: throughputSeries(c, bucketMs, run.load.endMs - start),
    notes,
  };
}

/**
 * Views installed for a crash beyond the `kills` the nemesis made. On a loaded machine a
 * node busy applying its recovery can miss heartbeats for a lease: the service removes it
 * and it recovers a second time, which the run's figures must not pass off as one recovery.
 */
export function unplannedCrashes(views: readonly { cause?: string }[], kills: number): number {
  return Math.max(0, views.filter((v) => v.cause === 'crash').length - kills);
}

export function runName(c: RecoveryConfig): string {
  return `${c.persistency}-${c.recovery}-${c.size}-${c.downtimeS}s`;
}

export function runDir(out: string, c: RecoveryConfig): string {
  return join(out, runName(c));
}
