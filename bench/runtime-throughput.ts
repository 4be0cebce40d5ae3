/**
 * How many operations per second a local 3-node `heal cluster` serves, and what limits
 * it as the store grows. A closed loop: per node, `--conns` connections each keeping
 * `--depth` requests in flight, 70% reads and 30% writes over uniform keys; no event
 * logs. Also times the core's write step alone (no I/O) at the same key count, since the
 * NodeState copies its per-key arrays on every update.
 *
 *   npx tsx bench/runtime-throughput.ts --keys 10000 --seconds 10 [--persistency synch]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from '../bin/build.mjs';
import { Cluster } from '../runtime/supervisor.ts';
import { FrameClient } from '../test/runtime/client.ts';
import { Core } from '../runtime/node/core.ts';
import type { Persistency } from '../src/protocol/types.ts';

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    persistency: { type: 'string', default: 'synch' },
    conns: { type: 'string', default: '4' },
    depth: { type: 'string', default: '8' },
  },
});
const keys = Number(values.keys);
const seconds = Number(values.seconds);
const persistency = values.persistency as Persistency;

function coreOnly(): number {
  // One node alone in its view: a write completes within its own step, so this is the
  // pure cost of clientWrite's state updates (and their copies) at this key count.
  const core = new Core({ self: 0, nodes: 1, keys, persistency: 'eventual', recovery: 'heal' }, null, 0);
  core.installInitial({ epoch: 0, members: [0], roles: { '0': 'replica' }, cause: 'init', node: -1, wasShadow: false, buddy: -1, holders: {}, reselect: {} });
  const t = performance.now();
  let n = 0;
  // At least 3 s and 50 writes: one write costs O(keys) copies, a fixed count would take minutes at 1M keys.
  while (n < 50 || performance.now() - t < 3000) {
    core.write((n * 7919) % keys, n + 1);
    for (const p of core.pending.slice()) core.persisted(p);
    n++;
  }
  return n / ((performance.now() - t) / 1000);
}

await build();
console.log(`core alone: ${coreOnly().toFixed(0)} writes/s at ${keys} keys (clientWrite + persistAndReact, no I/O)`);
const started = performance.now();
const cluster = new Cluster({
  data: join(mkdtempSync(join(tmpdir(), 'heal-bench-')), 'c'), nodes: 3, persistency, recovery: 'heal', keys, valueBytes: 150,
  host: '127.0.0.1', controlPort: 0, events: false, heartbeatMs: 50, leaseMs: 2000,
});
await cluster.start();
console.log(`cluster of 3 nodes with ${keys} keys up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
let ops = 0;
let value = 1;
let stop = false;
const clients: FrameClient[] = [];
const loops: Promise<void>[] = [];
for (const s of cluster.slots) {
  for (let c = 0; c < Number(values.conns); c++) {
    const fc = await FrameClient.open(s.clientPort);
    clients.push(fc);
    for (let d = 0; d < Number(values.depth); d++) {
      loops.push((async () => {
        while (!stop) {
          const key = Math.floor(Math.random() * keys);
          const r = Math.random() < 0.3 ? await fc.request({ op: 'write', key, value: value++ }) : await fc.request({ op: 'read', key });
          if (r.closed) return;
          if (r.ok) ops++;
        }
      })());
    }
  }
}
const perSecond: number[] = [];
for (let s = 0; s < seconds; s++) {
  const before = ops;
  await new Promise((r) => setTimeout(r, 1000));
  perSecond.push(ops - before);
}
stop = true;
const sorted = [...perSecond].sort((a, b) => a - b);
console.log(`ops/s per second: ${perSecond.join(' ')}`);
console.log(`median ${sorted[Math.floor(sorted.length / 2)]} ops/s (70% reads, 30% writes, ${persistency}, ${keys} keys)`);
const st = await cluster.status();
console.log(JSON.stringify((st.nodes as { stats: { writesOk: number; readsOk: number; persistBatches: number; persisted: number } }[]).map((n) => ({ w: n.stats.writesOk, r: n.stats.readsOk, batches: n.stats.persistBatches, persisted: n.stats.persisted }))));
for (const c of clients) c.close();
await cluster.stop();
await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 500))]);
process.exit(0);
