/**
 * Finding R4 (spec/runtime-protocol.md): a node recovering a large store held its event
 * loop for seconds, missed its heartbeats and was fenced. Two causes, each tested here:
 * the runtime core's step cost grew with the persist pipeline (a shadow taking a
 * 10,000-entry FullCopy stream issues 10,000 persists before the first group commit
 * returns), and the node applied whatever input had arrived in one go. The first is
 * measured in element reads, not time, so a loaded machine cannot fail it; the time is
 * in bench/core-recovery.ts.
 */
import { expect, it } from 'vitest';
import { Core, type Msg, type Persist } from '../../runtime/node/core.ts';
import { issued } from '../../runtime/node/issued.ts';
import { Slicer } from '../../runtime/node/slicer.ts';
import type { View } from '../../runtime/wire/messages.ts';

const KEYS = 10_000;
const view = (epoch: number, cause: View['cause'], roles: Record<string, 'replica' | 'shadow'>): View => ({
  epoch, members: [0, 1, 2], roles, cause, node: 1, wasShadow: false, buddy: 2, holders: { '1': 0b101 }, reselect: {},
});

/** An array whose element reads are counted (index gets through the proxy). */
function counted<T>(items: T[]): { array: T[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(items, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { array, reads: () => reads };
}

it('the persists a step issued are found in reads proportional to what it issued, not to the pipeline (9,000 pending)', () => {
  const p = (key: number): Persist => ({ key, ts: 770, value: key, seq: key });
  const pipeline = Array.from({ length: 9_000 }, (_, k) => p(k));
  const fresh = [p(9_000), p(9_001)];
  // A step that issued two persists and completed the oldest (P-PERSIST-DONE removes from the front).
  const before = counted(pipeline);
  const after = counted([...pipeline.slice(1), ...fresh]);
  expect(issued(before.array, after.array)).toEqual(fresh);
  // Before the fix every step built a set of the whole pipeline: 9,000+ reads per step.
  expect(before.reads() + after.reads()).toBeLessThan(10);
  // A step that issued nothing, and one whose whole pipeline completed.
  expect(issued(pipeline, pipeline)).toEqual([]);
  expect(issued(pipeline, fresh)).toEqual(fresh);
});

it('a shadow taking a 10,000-entry stream issues one persist per MU entry, each logged once', () => {
  const durable = Array.from({ length: KEYS }, (_, k) => ({ ts: 513, value: k + 1, seq: 0 }));
  const core = new Core({ self: 1, nodes: 3, keys: KEYS, persistency: 'synch', recovery: 'fullcopy' }, durable, 0);
  core.installView(view(2, 'restart', { '0': 'replica', '1': 'shadow', '2': 'replica' }), () => 0b101);
  const mu = (k: number): Msg => ({ type: 9, from: 2, to: 1, key: k, ts: 770, value: k + 7, epoch: 0, durableAt: 0, count: KEYS, valid: true });
  for (let k = 0; k < KEYS; k++) {
    const persists = core.receive(mu(k)).events.filter((e) => e.type === 'persist');
    if (persists.length !== 1 || persists[0]!.key !== k) expect.fail(`MU entry ${k} logged ${JSON.stringify(persists)}`);
  }
  expect(core.pending.length).toBe(KEYS);
});

it('the slicer runs steps in order and lets timers run during a long burst', async () => {
  const s = new Slicer(20);
  const ran: number[] = [];
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };
  // 600 steps of 1 ms offered at once: 0.6 s of work, as a burst of frames is.
  for (let i = 0; i < 600; i++) s.run(() => { busy(1); ran.push(i); });
  await new Promise<void>((resolve) => {
    const check = () => (ran.length === 600 ? resolve() : setTimeout(check, 5));
    check();
  });
  clearInterval(timer);
  expect(ran).toEqual(Array.from({ length: 600 }, (_, i) => i));
  // Held for the whole burst, the timer would fire about once; with 20 ms slices, once per slice.
  expect(ticks).toBeGreaterThanOrEqual(10);
  expect(s.yields).toBeGreaterThanOrEqual(10);
});
