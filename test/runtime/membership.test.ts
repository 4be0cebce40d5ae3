/**
 * The membership service is its own process and writes every view to disk before
 * sending it: killed with SIGKILL and started again, it goes on from the last view
 * (no epoch is reused, the nodes keep their view, the next view change follows it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Cluster } from '../../runtime/supervisor.ts';
import { client, servedRead, startCluster, until, viewsOf } from './harness.ts';

let c: Cluster | null = null;
afterAll(async () => {
  await c?.stop();
});

it('a membership service killed and restarted keeps its views, and the cluster goes on from them', async () => {
  c = await startCluster('synch', 'heal');
  await c.kill(1);
  await until('the crash view of node 1', () => viewsOf(c!).some((v) => v.cause === 'crash' && v.node === 1));
  const before = JSON.parse(readFileSync(join(c.dir, 'membership', 'state.json'), 'utf8')) as { views: { epoch: number }[] };
  expect(before.views.at(-1)!.epoch).toBe(1);

  await c.restartService();
  // The live nodes reconnect as the same processes: no crash view for them.
  await new Promise((r) => setTimeout(r, 4 * c!.opts.leaseMs));
  expect(viewsOf(c).map((v) => v.epoch)).toEqual([1]);
  for (const n of [0, 2]) expect((await c.nodeStatus(n))!.epoch).toBe(1);

  await c.restart(1);
  await until('node 1 promoted', () => viewsOf(c!).some((v) => v.cause === 'promote' && v.node === 1));
  expect(viewsOf(c).map((v) => `${v.epoch}:${v.cause}`)).toEqual(['1:crash', '2:restart', '3:promote']);
  const c0 = await client(c, 0);
  expect(await c0.request({ op: 'write', key: 2, value: 5 })).toMatchObject({ ok: true });
  const c1 = await client(c, 1);
  expect(await servedRead(c1, 2)).toMatchObject({ value: 5 });
  c0.close();
  c1.close();

  // Killed and restarted at once, likely within its lease: the new process's hello makes
  // the service install the crash view before the restart view.
  await c.restart(0);
  await until('node 0 promoted', () => viewsOf(c!).some((v) => v.cause === 'promote' && v.node === 0));
  expect(viewsOf(c).slice(3).map((v) => `${v.epoch}:${v.cause}:${v.node}`)).toEqual(['4:crash:0', '5:restart:0', '6:promote:0']);
}, 60_000);
