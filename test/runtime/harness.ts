/**
 * Shared setup of the runtime tests: a built dist/ (children start from it, not through
 * tsx), a cluster in a temporary folder, polling helpers, and the merged event log.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, buildIsCurrent } from '../../bin/build.mjs';
import { Cluster, type ClusterOptions } from '../../runtime/supervisor.ts';
import { FrameClient } from './client.ts';
import type { Persistency, Recovery } from '../../src/protocol/types.ts';

let built: Promise<boolean> | null = null;

/**
 * Builds only when dist/ is stale: test files run in parallel, and a build swaps dist/
 * while another file's cluster may be forking children from it.
 */
export function ensureBuilt(): Promise<boolean> {
  built ??= buildIsCurrent() ? Promise.resolve(true) : build();
  return built;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `heal-${prefix}-`));
}

export async function startCluster(persistency: Persistency, recovery: Recovery, extra: Partial<ClusterOptions> = {}): Promise<Cluster> {
  await ensureBuilt();
  const c = new Cluster({
    data: join(tempDir(`${persistency}-${recovery}`), 'cluster'),
    nodes: 3, persistency, recovery, keys: 8, valueBytes: 64, host: '127.0.0.1', controlPort: 0,
    events: true, heartbeatMs: 60, leaseMs: 500, ...extra,
  });
  await c.start();
  return c;
}

export async function until<T>(what: string, f: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The first read of `key` the node serves: it refuses reads while its lease is (re)established or it is recovering. */
export function servedRead(cl: FrameClient, key: number): Promise<Record<string, unknown>> {
  return until(`a served read of k${key}`, async () => {
    const r = await cl.request({ op: 'read', key });
    return r.ok === true ? r : null;
  });
}

export function viewsOf(c: Cluster): { epoch: number; cause: string; node: number; members: number[]; roles: Record<string, string> }[] {
  try {
    return readFileSync(join(c.dir, 'views.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

export async function client(c: Cluster, node: number): Promise<FrameClient> {
  return FrameClient.open(c.slots[node]!.clientPort);
}

/** Every node's event log concatenated behind a meta line, as heal conform reads it. */
export function mergedLog(c: Cluster): string {
  const o = c.opts;
  const lines = [JSON.stringify({ type: 'meta', format: 'heal-event-log', version: 1, nodes: o.nodes, keys: o.keys, persistency: o.persistency, recovery: o.recovery })];
  for (const s of c.slots) lines.push(readFileSync(join(s.data, 'events.jsonl'), 'utf8').trimEnd());
  const path = join(c.dir, 'merged-events.jsonl');
  writeFileSync(path, `${lines.filter(Boolean).join('\n')}\n`);
  return path;
}
