/**
 * The load generator: `clients` sequential clients, each one connection to one node
 * (round-robin over the nodes), issuing a seeded stream of reads and writes, each
 * operation recorded in the history before it is sent and when it is answered.
 *
 * What an answer means for the history (runtime contract):
 * - `ok`: `:ok` (a read carries the value read).
 * - refusal with `definite: true`: the operation had no effect, `:fail`.
 * - connection lost, timeout, or a refusal that is not definite: a write's outcome is
 *   unknown, `:info`, and the client continues as a new process (Jepsen's rule: a
 *   process with an indeterminate operation never invokes again); a read changed
 *   nothing, so it is `:fail`. The client then reconnects to the next node after a
 *   short back-off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, ConnectionLost, RequestTimeout, type Reply } from './connection.ts';
import type { ClusterFile } from './cluster-file.ts';
import type { History } from './history.ts';
import { OpStream, WORKLOADS, Zipf, clientSeed, invocationOf, requestOf, type Op, type WorkloadName } from './workload.ts';
import { progressLine, summarize, type Completion, type LoadSummary } from './stats.ts';

export interface Endpoint {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

export function clientEndpoints(cluster: ClusterFile): Endpoint[] {
  return cluster.nodes.map((n) => ({ id: n.id, host: n.host, port: n.clientPort }));
}

export interface LoadOptions {
  readonly nodes: readonly Endpoint[];
  readonly clients: number;
  /** Total operations per second over all clients; undefined: as fast as answers come. */
  readonly rate?: number;
  readonly durationMs: number;
  readonly workload: WorkloadName;
  readonly keys: number;
  readonly seed: number;
  /** Scope persistency: each client ends its scope after this many writes (0: never). */
  readonly scopeEvery?: number;
  readonly history: History;
  readonly requestTimeoutMs?: number;
  readonly backoffMs?: number;
  /** First process number and first value slot to use (several phases share one history). */
  readonly processBase?: number;
  readonly slotBase?: number;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface LoadResult {
  readonly completions: Completion[];
  readonly summary: LoadSummary;
  /** On the history's clock, in ms. */
  readonly startMs: number;
  readonly endMs: number;
  /** One past the highest process number used. */
  readonly nextProcess: number;
}

/** Why an operation failed, for the history's :error. */
function errorOf(e: unknown): string {
  if (e instanceof RequestTimeout) return 'timeout';
  if (e instanceof ConnectionLost) return 'connection-lost';
  return 'client-error';
}

/** What a client does with one operation, given the node's answer (or the lack of one). */
export function outcomeOf(op: Op, reply: Reply | Error): { type: 'ok' | 'fail' | 'info'; value: number | null; error?: string } {
  // Reads change nothing, so an unanswered one did not happen as far as the history is concerned.
  if (reply instanceof Error) return op.f !== 'read' ? { type: 'info', value: written(op), error: errorOf(reply) } : { type: 'fail', value: null, error: errorOf(reply) };
  if (reply.ok) {
    if (op.f === 'read') {
      const v = reply.value;
      // A read answered with no integer value cannot be judged: the node broke the contract.
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return { type: 'fail', value: null, error: 'bad-reply' };
      return { type: 'ok', value: v };
    }
    return { type: 'ok', value: written(op) };
  }
  const error = reply.error ?? 'refused';
  if (reply.definite === true) return { type: 'fail', value: written(op), error };
  return op.f !== 'read' ? { type: 'info', value: written(op), error } : { type: 'fail', value: null, error };
}

const written = (op: Op): number | null => (op.f === 'write' ? op.value : null);

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  if (o.nodes.length === 0) throw new RangeError('no nodes to load');
  const zipf = new Zipf(o.keys);
  const readFraction = WORKLOADS[o.workload];
  const timeoutMs = o.requestTimeoutMs ?? 2000;
  const backoffMs = o.backoffMs ?? 100;
  const processBase = o.processBase ?? 0;
  const slotBase = o.slotBase ?? 0;
  const completions: Completion[] = [];
  const nowMs = () => o.history.now() / 1e6;
  const startMs = nowMs();
  const endAt = startMs + o.durationMs;
  const stopped = () => nowMs() >= endAt || o.signal?.aborted === true;
  let maxProcess = processBase + o.clients - 1;

  let progressFrom = 0;
  let lastTick = startMs;
  const ticker = o.onProgress
    ? setInterval(() => {
        const t = nowMs();
        const window = completions.slice(progressFrom);
        progressFrom = completions.length;
        o.onProgress!(progressLine((t - startMs) / 1000, window, (t - lastTick) / 1000));
        lastTick = t;
      }, 1000)
    : undefined;

  const client = async (i: number): Promise<void> => {
    const ops = new OpStream(readFraction, zipf, clientSeed(o.seed, i), slotBase + i, o.scopeEvery ?? 0);
    let process = processBase + i;
    let nodeIndex = i % o.nodes.length;
    let conn: Connection | undefined;
    const interval = o.rate === undefined ? 0 : (1000 * o.clients) / o.rate;
    let issued = 0;
    while (!stopped()) {
      const node = o.nodes[nodeIndex]!;
      if (conn === undefined || !conn.alive) {
        conn?.close();
        try {
          conn = await Connection.open(node.host, node.port, Math.min(timeoutMs, 1000));
        } catch {
          conn = undefined;
          nodeIndex = (nodeIndex + 1) % o.nodes.length;
          await sleep(backoffMs);
          continue;
        }
      }
      if (interval > 0) {
        const due = startMs + issued * interval;
        const wait = due - nowMs();
        if (wait > 0) await sleep(wait);
        if (stopped()) break;
      }
      issued++;
      const op = ops.next();
      const inv = invocationOf(op);
      const invoked = o.history.add({ process, type: 'invoke', ...inv, node: node.id });
      let reply: Reply | Error;
      try {
        reply = await conn.request(requestOf(op), timeoutMs);
      } catch (e) {
        reply = e as Error;
      }
      const out = outcomeOf(op, reply);
      const done = o.history.add({ process, type: out.type, f: op.f, key: inv.key, value: out.value, node: node.id, ...(out.error ? { error: out.error } : {}) });
      completions.push({ t: done.time / 1e6, latencyMs: (done.time - invoked.time) / 1e6, f: op.f, outcome: out.type });
      if (out.type === 'info') {
        process += o.clients;
        maxProcess = Math.max(maxProcess, process);
      }
      // A lost connection, or a node that says it cannot serve (a shadow, a node cut off): try the next node.
      if (reply instanceof Error || out.error === 'unavailable') {
        conn.close();
        conn = undefined;
        nodeIndex = (nodeIndex + 1) % o.nodes.length;
        await sleep(backoffMs);
      }
    }
    conn?.close();
  };

  try {
    await Promise.all(Array.from({ length: o.clients }, (_, i) => client(i)));
  } finally {
    if (ticker) clearInterval(ticker);
  }
  const endMs = nowMs();
  const relative = completions.map((c) => ({ ...c, t: c.t - startMs }));
  return { completions: relative, summary: summarize(relative, (endMs - startMs) / 1000), startMs, endMs, nextProcess: maxProcess + 1 };
}
