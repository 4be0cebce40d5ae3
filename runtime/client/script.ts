/**
 * A fixed list of operations run to completion by `parallel` sequential processes over
 * one connection per node: the preload (every key written once before the load) and the
 * final reads (every key read after the run, to see that no acknowledged write is lost).
 * Recorded in the same history as the load, so `heal lincheck` judges them together.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, type Reply } from './connection.ts';
import type { History } from './history.ts';
import { outcomeOf, type Endpoint } from './load.ts';
import { invocationOf, requestOf, type Op } from './workload.ts';

const RETRY_MS = 50;

export interface ScriptOptions {
  readonly nodes: readonly Endpoint[];
  readonly history: History;
  readonly parallel: number;
  readonly processBase: number;
  readonly requestTimeoutMs?: number;
  /** Attempts per operation: a read that fails or is lost is tried again at the next node. */
  readonly attempts?: number;
  /** Aborted: take no further operation or attempt (a run being abandoned). */
  readonly signal?: AbortSignal;
}

export interface ScriptResult {
  /** Per op index: the value read (reads) or whether the write was acknowledged. */
  readonly results: (number | boolean | undefined)[];
  readonly nextProcess: number;
}

export async function runScript(ops: readonly Op[], o: ScriptOptions): Promise<ScriptResult> {
  const conns = new Map<number, Connection>();
  const results: (number | boolean | undefined)[] = new Array(ops.length).fill(undefined);
  const attempts = o.attempts ?? 1;
  let next = 0;
  let nextProcess = o.processBase + o.parallel;

  const connTo = async (node: Endpoint): Promise<Connection> => {
    const c = conns.get(node.id);
    if (c?.alive) return c;
    const fresh = await Connection.open(node.host, node.port);
    conns.set(node.id, fresh);
    return fresh;
  };

  const worker = async (w: number): Promise<void> => {
    let process = o.processBase + w;
    let nodeIndex = w % o.nodes.length;
    for (let i = next++; i < ops.length && !o.signal?.aborted; i = next++) {
      const op = ops[i]!;
      for (let attempt = 0; attempt < attempts && !o.signal?.aborted; attempt++) {
        const node = o.nodes[nodeIndex]!;
        let conn: Connection;
        try {
          conn = await connTo(node);
        } catch {
          nodeIndex = (nodeIndex + 1) % o.nodes.length;
          await sleep(RETRY_MS);
          continue;
        }
        const inv = invocationOf(op);
        o.history.add({ process, type: 'invoke', ...inv, node: node.id });
        let reply: Reply | Error;
        try {
          reply = await conn.request(requestOf(op), o.requestTimeoutMs ?? 5000);
        } catch (e) {
          reply = e as Error;
        }
        const out = outcomeOf(op, reply);
        o.history.add({ process, type: out.type, f: op.f, key: inv.key, value: out.value, node: node.id, ...(out.error ? { error: out.error } : {}) });
        if (out.type === 'info') process = nextProcess++;
        if (out.type === 'ok') {
          results[i] = op.f === 'read' ? out.value! : true;
          break;
        }
        if (out.type === 'info') break;
        nodeIndex = (nodeIndex + 1) % o.nodes.length;
        // A refusal (a node between views, a lease running out) passes: give it a moment.
        await sleep(RETRY_MS);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: o.parallel }, (_, w) => worker(w)));
  } finally {
    for (const c of conns.values()) c.close();
  }
  return { results, nextProcess };
}
