/**
 * A short judged run under load: 3 nodes, 4 keys, one client loop per node (50% writes,
 * 50% reads, 20 ms apart), node 2 SIGKILLed at 0.8 s and restarted at 1.7 s; then the
 * merged event logs go through heal conform (model run, properties, linearizability).
 *
 *   npx tsx bench/runtime-chaos.ts <persistency> <recovery> [seconds]
 */
import { Cluster } from '../runtime/supervisor.ts';
import { FrameClient } from '../test/runtime/client.ts';
import { mergedLog } from '../test/runtime/harness.ts';
import { readLog } from '../cli/conform/log-format.ts';
import { checkLog } from '../cli/conform/run.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const [persistency, recovery, secs] = [process.argv[2] ?? 'synch', process.argv[3] ?? 'heal', Number(process.argv[4] ?? 4)];
const c = new Cluster({ data: join(mkdtempSync(join(tmpdir(), 'chaos-')), 'c'), nodes: 3, persistency: persistency as 'synch', recovery: recovery as 'heal', keys: 4, valueBytes: 32, host: '127.0.0.1', controlPort: 0, events: true, heartbeatMs: 60, leaseMs: 500 });
await c.start();
let stop = false; let v = 1; let ok = 0; let refused = 0;
const loops: Promise<void>[] = [];
for (let n = 0; n < 3; n++) {
  loops.push((async () => {
    let fc = await FrameClient.open(c.slots[n]!.clientPort);
    while (!stop) {
      if (fc.closed) { await new Promise((r) => setTimeout(r, 100)); try { fc = await FrameClient.open(c.slots[n]!.clientPort); } catch { } continue; }
      const key = Math.floor(Math.random() * 4);
      const r = Math.random() < 0.5 ? await fc.request({ op: 'write', key, value: v++ }) : await fc.request({ op: 'read', key });
      if (r.ok) ok++; else refused++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })());
}
await new Promise((r) => setTimeout(r, 800));
await c.kill(2);
await new Promise((r) => setTimeout(r, 900));
await c.restart(2);
await new Promise((r) => setTimeout(r, secs * 1000 - 1700));
stop = true;
await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 1000))]);
const st = await c.status();
console.log('ok', ok, 'refused', refused, 'roles', (st.nodes as { role: string }[]).map((n) => n.role).join(','));
await c.stop();
const path = mergedLog(c);
const t = performance.now();
const { report } = checkLog(readLog(path), { maxStates: 3_000_000, out: null, timeLimitSeconds: 120 });
console.log(path, report.verdict, report.events, 'events', ((performance.now() - t) / 1000).toFixed(1), 's', report.rejection ? JSON.stringify({ line: report.rejection.line, event: report.rejection.event, logged: report.rejection.logged, first: report.rejection.firstUnmatched, step: report.rejection.step }).slice(0, 1500) : '', report.violation ? JSON.stringify(report.violation) : '', report.linearizability?.result ?? '');
process.exit(0);
