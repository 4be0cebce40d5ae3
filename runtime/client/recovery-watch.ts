/**
 * Watches a restarted node from the client side: when it first answers a read (serving
 * reads again) and when its own status first says it is a replica, on the history's
 * clock; and what it reports about the recovery in its status `stats`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from './connection.ts';
import type { Endpoint } from './load.ts';

export interface NodeStatus {
  readonly role?: string;
  readonly recovering?: boolean;
  readonly stats?: Record<string, unknown>;
}

export async function nodeStatus(node: Endpoint, timeoutMs = 2000): Promise<NodeStatus | undefined> {
  let conn: Connection | undefined;
  try {
    conn = await Connection.open(node.host, node.port, timeoutMs);
    const r = await conn.request({ op: 'status' }, timeoutMs);
    if (!r.ok) return undefined;
    return { role: typeof r.role === 'string' ? r.role : undefined, recovering: typeof r.recovering === 'boolean' ? r.recovering : undefined, stats: r.stats !== null && typeof r.stats === 'object' ? (r.stats as Record<string, unknown>) : undefined };
  } catch {
    return undefined;
  } finally {
    conn?.close();
  }
}

export interface Watch {
  /** First successful read after the restart (ms, history clock). */
  servingMs: number | undefined;
  /** First status with role replica and not recovering. */
  replicaMs: number | undefined;
  lastStatus: NodeStatus | undefined;
}

/**
 * Polls every `everyMs` until it has seen both, or `stop` aborts. The read and the status
 * are asked apart: a read the node parks past `requestTimeoutMs` (a key it may not serve
 * yet) must not keep the status from being seen, as it did when one failure skipped both.
 */
export async function watchRecovery(node: Endpoint, nowMs: () => number, stop: AbortSignal, everyMs = 10, requestTimeoutMs = 1000): Promise<Watch> {
  const w: Watch = { servingMs: undefined, replicaMs: undefined, lastStatus: undefined };
  let conn: Connection | undefined;
  const ask = async (body: { op: 'read'; key: number } | { op: 'status' }) => {
    try {
      if (conn === undefined || !conn.alive) conn = await Connection.open(node.host, node.port, 500);
      return await conn.request(body, requestTimeoutMs);
    } catch {
      // A timed-out request may still be answered later on this connection: start afresh.
      conn?.close();
      conn = undefined;
      return undefined;
    }
  };
  while (!stop.aborted && (w.servingMs === undefined || w.replicaMs === undefined)) {
    if (w.servingMs === undefined) {
      const r = await ask({ op: 'read', key: 0 });
      if (r?.ok) w.servingMs = nowMs();
    }
    if (w.replicaMs === undefined && !stop.aborted) {
      const r = await ask({ op: 'status' });
      if (r?.ok && r.role === 'replica' && r.recovering !== true) {
        w.replicaMs = nowMs();
        w.lastStatus = { role: 'replica', recovering: false, stats: r.stats as Record<string, unknown> | undefined };
      }
    }
    await sleep(everyMs);
  }
  conn?.close();
  return w;
}

/** A numeric stats field, or undefined when the node does not report it. */
export function statNumber(s: NodeStatus | undefined, field: string): number | undefined {
  const v = s?.stats?.[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A numeric field at a path of the stats (`received.MU.bytes`), or undefined. */
function statPath(s: NodeStatus | undefined, path: string): number | undefined {
  let v: unknown = s?.stats;
  for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const add = (a: number | undefined, b: number | undefined) => (a === undefined ? undefined : a + (b ?? 0));

/**
 * What a node says it transferred for recovery, as `direction` ('received' at the
 * recovering node, 'sent' at a Buddy). Both HEAL and FullCopy transfer with MU messages
 * (a FullCopy is an MU stream of the whole store), so the runtime's per-type counters
 * (`stats.received.MU.bytes` + `MU_END`, `stats.muEntriesReceived`) measure either;
 * `recoveryBytesReceived` / `recoveryEntriesReceived` are read first where a node
 * reports them by those names.
 */
export function recoveryTransfer(s: NodeStatus | undefined, direction: 'received' | 'sent'): { bytes?: number; entries?: number } {
  const Dir = direction === 'received' ? 'Received' : 'Sent';
  return {
    bytes: statNumber(s, `recoveryBytes${Dir}`) ?? add(statPath(s, `${direction}.MU.bytes`), statPath(s, `${direction}.MU_END.bytes`)),
    entries: statNumber(s, `recoveryEntries${Dir}`) ?? statNumber(s, `muEntries${Dir}`),
  };
}
