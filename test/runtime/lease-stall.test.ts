/**
 * Finding R3 (spec/runtime-protocol.md): a stall of the membership service longer than
 * the lease must not count against the nodes. The service and three fake nodes run in
 * this process, so one synchronous spin stalls them all, as a stall of the whole machine
 * does; when it ends the service's expiry timer runs before the heartbeats are read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { MembershipService } from '../../runtime/membership/service.ts';
import { writeFrame } from '../../runtime/wire/frames.ts';
import type { View } from '../../runtime/wire/messages.ts';

const LEASE_MS = 300;
const dir = mkdtempSync(join(tmpdir(), 'heal-lease-'));
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
let service: MembershipService | null = null;
afterAll(() => {
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.destroy();
  service?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A node as far as the service sees it: hello, then a heartbeat every lease/6 until `stop`. */
async function fakeNode(port: number, node: number): Promise<{ stop(): void }> {
  const s = connect({ host: '127.0.0.1', port });
  sockets.push(s);
  s.on('data', () => {});
  await new Promise<void>((r) => s.once('connect', () => r()));
  writeFrame(s, { kind: 'hello', node, boot: true, epoch: -1 });
  const t = setInterval(() => writeFrame(s, { kind: 'hb', node, t: performance.now() }), LEASE_MS / 6);
  timers.push(t);
  return { stop: () => clearInterval(t) };
}

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

it('a stall of the service and the nodes for two leases removes no node; a node that stops its heartbeats is removed', async () => {
  const views: View[] = [];
  service = new MembershipService({ nodes: 3, recovery: 'heal', data: dir, host: '127.0.0.1', port: 0, leaseMs: LEASE_MS }, (v) => views.push(v));
  const port = await service.listen();
  const nodes = await Promise.all([0, 1, 2].map((n) => fakeNode(port, n)));
  await sleep(2 * LEASE_MS);
  expect(views).toEqual([]);

  for (let i = 0; i < 3; i++) {
    spin(2 * LEASE_MS);
    await sleep(2 * LEASE_MS);
  }
  expect(views.map((v) => `${v.cause} ${v.node}`)).toEqual([]);

  // Expiry still works: a node that is silent for a lease is removed.
  nodes[2]!.stop();
  await sleep(3 * LEASE_MS);
  expect(views.map((v) => `${v.cause} ${v.node}`)).toEqual(['crash 2']);
}, 20_000);
