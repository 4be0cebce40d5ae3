/**
 * Finding R3: does a stall longer than the lease make the membership service remove
 * nodes that are alive? Starts a 3-node cluster (no load), then stalls processes with
 * SIGSTOP for `stallMs` and resumes them with SIGCONT (the service first: the judge
 * wakes before the judged), and counts the crash views the service installed after each
 * stall. Scenarios: `service` (only the service stops; the nodes' heartbeats queue up
 * in its sockets), `all` (the service and every node stop together, as in a stall of the
 * whole machine), `node` (node 0 alone stops: it must be removed, a lease is a lease).
 *
 *   npx tsx bench/lease-stall.ts [trials] [stallMs] [leaseMs]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from '../runtime/supervisor.ts';

const [trials, stallMs, leaseMs] = [Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 600), Number(process.argv[4] ?? 300)];
const root = mkdtempSync(join(tmpdir(), 'lease-stall-'));
const c = new Cluster({
  data: join(root, 'c'), nodes: 3, persistency: 'synch', recovery: 'heal', keys: 4, valueBytes: 32, host: '127.0.0.1', controlPort: 0,
  events: false, heartbeatMs: Math.max(5, Math.floor(leaseMs / 6)), leaseMs,
});
const crashViews = () => {
  const path = join(c.dir, 'views.jsonl');
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { cause: string; members: number[] }) : [];
};

async function whole(): Promise<boolean> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const st = (await c.status()) as { nodes: { alive: boolean; role?: string }[] };
    if (st.nodes.every((n) => n.alive && n.role === 'replica')) return true;
    await sleep(50);
  }
  return false;
}

try {
  await c.start();
  for (const scenario of ['service', 'all', 'node'] as const) {
    let hit = 0;
    let removed = 0;
    let empty = 0;
    for (let t = 0; t < trials; t++) {
      if (!(await whole())) throw new Error('the cluster did not become whole again within 20 s');
      const info = c.clusterJson() as { nodes: { pid: number }[]; membership: { pid: number } };
      const pids = scenario === 'node' ? [info.nodes[0]!.pid] : [info.membership.pid, ...(scenario === 'all' ? info.nodes.map((n) => n.pid) : [])];
      const before = crashViews().length;
      for (const p of pids) process.kill(p, 'SIGSTOP');
      await sleep(stallMs);
      for (const p of pids) process.kill(p, 'SIGCONT');
      await sleep(Math.max(1000, 3 * leaseMs));
      const views = crashViews().slice(before);
      const crashes = views.filter((v) => v.cause === 'crash');
      if (crashes.length > 0) hit++;
      removed += crashes.length;
      if (views.some((v) => v.members.length === 0)) empty++;
    }
    console.log(`${scenario}: stall ${stallMs} ms, lease ${leaseMs} ms: ${hit}/${trials} stalls followed by a crash view, ${removed} nodes removed, ${empty} views with no member`);
  }
} finally {
  await c.stop();
  rmSync(root, { recursive: true, force: true });
}
