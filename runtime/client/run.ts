/**
 * One run as `heal load` and the experiment do it: (preload), load with the nemesis
 * alongside, wait until every node is back and a replica, read every key once more, and
 * check that no acknowledged write is lost. Everything lands in one history.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterFile } from './cluster-file.ts';
import { Control } from './control.ts';
import { History } from './history.ts';
import { clientEndpoints, runLoad, type LoadOptions, type LoadResult } from './load.ts';
import { findLostWrites, type LostWrite } from './lost-writes.ts';
import { runNemesis, type NemesisAction, type NemesisPlan } from './nemesis.ts';
import { runScript } from './script.ts';
import { MAX_CLIENT_SLOTS, VALUE_SEQ_SPAN, type Op } from './workload.ts';

/** The load's own options, as `runLoad` takes them; the endpoints and history come from the run. */
type LoadShape = Pick<LoadOptions, 'clients' | 'rate' | 'durationMs' | 'workload' | 'keys' | 'seed' | 'scopeEvery' | 'requestTimeoutMs' | 'onProgress' | 'signal'>;

export interface RunOptions extends LoadShape {
  readonly cluster: ClusterFile;
  /** Write keys 0..preload-1 once before the load (the store's size). */
  readonly preload?: number;
  readonly nemesis?: NemesisPlan;
  /** After the load: wait for every node to be a live replica, then read every key once. */
  readonly finalReads: boolean;
  readonly healthyTimeoutMs?: number;
  /** Called as each fault happens (the experiment starts watching the restarted node). */
  readonly onNemesis?: (a: NemesisAction, history: History) => void;
  /**
   * Aborted: the run is abandoned (the experiment was interrupted), so the preload and
   * the final reads stop too. `signal` alone stops the load, and the final reads still
   * run (heal load's Ctrl-C).
   */
  readonly abandon?: AbortSignal;
}

export interface RunResult {
  readonly history: History;
  readonly load: LoadResult;
  readonly nemesis: NemesisAction[];
  /** The control port refused or failed: the faults planned did not all happen. */
  readonly nemesisError: string | undefined;
  readonly preloaded: number;
  /** ms on the history clock when the cluster was seen whole again (undefined: not waited, or never). */
  readonly healthyMs: number | undefined;
  readonly finalReads: number;
  readonly lostWrites: LostWrite[] | undefined;
}

/** The preload writes with value slots past the load's, so every value in the history stays unique. */
const PRELOAD_SLOT = MAX_CLIENT_SLOTS;

export async function waitHealthy(control: Control, nodes: number, timeoutMs: number, nowMs: () => number, signal?: AbortSignal): Promise<number | undefined> {
  const until = nowMs() + timeoutMs;
  while (nowMs() < until && !signal?.aborted) {
    try {
      const s = await control.status();
      if (s.nodes.length === nodes && s.nodes.every((n) => n.alive && (n.role === undefined || n.role === 'replica'))) return nowMs();
    } catch {
      // The supervisor may be busy restarting a node: ask again.
    }
    await sleep(20);
  }
  return undefined;
}

export async function runCluster(o: RunOptions): Promise<RunResult> {
  const history = new History();
  const nodes = clientEndpoints(o.cluster);
  const control = new Control(o.cluster.control.host, o.cluster.control.port);
  let process = 0;
  let preloaded = 0;
  if (o.preload) {
    let seq = 0;
    const ops: Op[] = Array.from({ length: o.preload }, (_, key) => ({ f: 'write' as const, key, value: PRELOAD_SLOT * VALUE_SEQ_SPAN + ++seq }));
    const r = await runScript(ops, { nodes, history, parallel: Math.min(64, o.preload), processBase: process, requestTimeoutMs: o.requestTimeoutMs ?? 5000, attempts: 3, ...(o.abandon ? { signal: o.abandon } : {}) });
    preloaded = r.results.filter((x) => x === true).length;
    process = r.nextProcess;
  }
  const abort = new AbortController();
  const stopNemesis = () => abort.abort();
  o.signal?.addEventListener('abort', stopNemesis);
  // Caught at once: a control port that refuses must not crash the process mid-load (an unhandled rejection).
  let nemesisError: string | undefined;
  const nemesis = (o.nemesis ? runNemesis(o.nemesis, nodes.map((n) => n.id), control, history, abort.signal, (a) => o.onNemesis?.(a, history)) : Promise.resolve([])).catch((e: Error) => {
    nemesisError = e.message;
    return [] as NemesisAction[];
  });
  let load: LoadResult;
  let actions: NemesisAction[];
  try {
    load = await runLoad({ nodes, clients: o.clients, rate: o.rate, durationMs: o.durationMs, workload: o.workload, keys: o.keys, seed: o.seed, scopeEvery: o.scopeEvery, history, requestTimeoutMs: o.requestTimeoutMs, processBase: process, onProgress: o.onProgress, signal: o.signal });
    // A restart scheduled past the end of the load still happens: the cluster must end whole.
    actions = await nemesis;
  } finally {
    o.signal?.removeEventListener('abort', stopNemesis);
  }
  process = load.nextProcess;
  let healthyMs: number | undefined;
  let lostWrites: LostWrite[] | undefined;
  let finalReads = 0;
  if (o.finalReads) {
    healthyMs = await waitHealthy(control, nodes.length, o.healthyTimeoutMs ?? 30_000, () => history.now() / 1e6, o.signal);
    const keys = Array.from({ length: o.keys }, (_, key) => ({ f: 'read' as const, key }));
    const r = await runScript(keys, { nodes, history, parallel: Math.min(16, o.keys), processBase: process, requestTimeoutMs: o.requestTimeoutMs ?? 5000, attempts: 5 * nodes.length, ...(o.abandon ? { signal: o.abandon } : {}) });
    const finals = new Map<number, number>();
    r.results.forEach((v, key) => typeof v === 'number' && finals.set(key, v));
    finalReads = finals.size;
    lostWrites = findLostWrites(history.events, finals);
  }
  return { history, load, nemesis: actions, nemesisError, preloaded, healthyMs, finalReads, lostWrites };
}
