/**
 * A partition (control op `partition`) cuts a node from its peers and from the
 * membership service: its lease runs out and it is removed, so the others' writes go on;
 * when the partition heals it is fenced, restarts as a new incarnation and recovers.
 */
import { afterAll, expect, it } from 'vitest';
import type { Cluster } from '../../runtime/supervisor.ts';
import { client, servedRead, startCluster, until, viewsOf } from './harness.ts';

let c: Cluster | null = null;
afterAll(async () => {
  await c?.stop();
});

it('a partitioned node is removed, the others serve writes, and it recovers once the partition heals', async () => {
  c = await startCluster('synch', 'heal');
  const pid = c.slots[2]!.pid;
  c.partition(2, true);
  await until('the crash view of node 2', () => viewsOf(c!).some((v) => v.cause === 'crash' && v.node === 2));
  const c0 = await client(c, 0);
  expect(await c0.request({ op: 'write', key: 1, value: 7 })).toMatchObject({ ok: true });
  const c2 = await client(c, 2);
  // Cut off and out of its lease, node 2 answers no read from its copy.
  expect(await c2.request({ op: 'read', key: 1 })).toMatchObject({ ok: false, error: 'unavailable' });
  c2.close();
  c.partition(2, false);
  await until('node 2 promoted', () => viewsOf(c!).some((v) => v.cause === 'promote' && v.node === 2));
  expect(c.slots[2]!.pid).not.toBe(pid);
  const again = await client(c, 2);
  expect(await servedRead(again, 1)).toMatchObject({ value: 7 });
  c0.close();
  again.close();
}, 60_000);
