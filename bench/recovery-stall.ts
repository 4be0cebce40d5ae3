/**
 * Finding R4: how long each node's event loop is held while a node recovers a large
 * store. Starts a 3-node cluster (no event logs), writes every key once, SIGKILLs node 1,
 * restarts it after 1 s, waits for its promotion and its first served read, and prints
 * each node's status `loopDelayMaxMs` (the longest hold since its process started) and
 * the crash views beyond the kill (a node that missed its lease).
 *
 *   npx tsx bench/recovery-stall.ts [keys] [heal|fullcopy] [persistency] [leaseMs]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from '../bin/build.mjs';
import { Cluster } from '../runtime/supervisor.ts';
import { FrameClient } from '../test/runtime/client.ts';
import type { Persistency, Recovery } from '../src/protocol/types.ts';

const keys = Number(process.argv[2] ?? 30000);
const recovery = (process.argv[3] ?? 'heal') as Recovery;
const persistency = (process.argv[4] ?? 'synch') as Persistency;
const leaseMs = Number(process.argv[5] ?? 1500);
const root = mkdtempSync(join(tmpdir(), 'recovery-stall-'));
await build();
const c = new Cluster({
  data: join(root, 'c'), nodes: 3, persistency, recovery, keys, valueBytes: 150, host: '127.0.0.1', controlPort: 0,
  events: false, heartbeatMs: Math.max(5, Math.floor(leaseMs / 6)), leaseMs,
});
const views = (): { cause: string; node: number }[] => {
  try {
    return readFileSync(join(c.dir, 'views.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { cause: string; node: number });
  } catch {
    return []; // no view since the initial one yet
  }
};
const holds = async () => Promise.all([0, 1, 2].map(async (n) => ((await c.nodeStatus(n)) as { stats: { loopDelayMaxMs: number } } | null)?.stats.loopDelayMaxMs ?? null));
try {
  await c.start();
  let t = performance.now();
  let next = 0;
  const clients = await Promise.all([0, 1, 2].flatMap((n) => [0, 1, 2, 3].map(() => FrameClient.open(c.slots[n]!.clientPort))));
  await Promise.all(clients.flatMap((cl) => Array.from({ length: 8 }, async () => {
    for (let k = next++; k < keys; k = next++) {
      while (!(await cl.request({ op: 'write', key: k, value: k + 1 })).ok) await sleep(10);
    }
  })));
  for (const cl of clients) cl.close();
  console.log(`${keys} keys written in ${((performance.now() - t) / 1000).toFixed(1)} s; loop holds so far (ms, nodes 0-2): ${(await holds()).join(', ')}`);
  await c.kill(1);
  await sleep(1000);
  t = performance.now();
  await c.restart(1);
  const cl = await FrameClient.open(c.slots[1]!.clientPort);
  let promoted = -1;
  let read = -1;
  while (performance.now() - t < 60_000 && read < 0) {
    if (promoted < 0 && views().some((v) => v.cause === 'promote' && v.node === 1)) promoted = performance.now() - t;
    if (promoted >= 0 && (await cl.request({ op: 'read', key: 0 })).ok) read = performance.now() - t;
    await sleep(20);
  }
  await sleep(2000);
  const crashes = views().filter((v) => v.cause === 'crash').length - 1;
  console.log(`${recovery} ${persistency}: restart -> promotion ${promoted.toFixed(0)} ms, -> first read ${read.toFixed(0)} ms; other crashes ${crashes}; longest loop hold (ms, nodes 0-2, node 1 since its restart): ${(await holds()).join(', ')}`);
  cl.close();
} finally {
  await c.stop();
  rmSync(root, { recursive: true, force: true });
}
