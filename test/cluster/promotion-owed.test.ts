/**
 * Owed ACKs of an older epoch are dropped at a promotion, as at a crash and an admission
 * (spec/recovery.md H-PROMOTE). Behaviour-preserving: a receiver drops every ACK of
 * another epoch, and epochs only grow, so such an ACK could only ever be a stale message.
 */
import { describe, expect, it } from 'vitest';
import { OWED_ACK, type Msg } from '../../src/protocol/types.ts';
import type { ClusterState } from '../../src/cluster/index.ts';
import { config, healModel } from './harness.ts';

const cfg = config({ persistency: 'synch', recovery: 'heal', writes: 1, reads: 0, crashes: 1 });
const model = healModel(cfg);

function run(steps: readonly string[]): ClusterState {
  let s = model.initialStates()[0]!;
  for (const step of steps) {
    const a = model.actions(s).find((x) => model.describeAction(x) === step);
    if (!a) throw new Error(`not enabled: ${step}\n enabled: ${model.actions(s).map((x) => model.describeAction(x)).join(' | ')}`);
    s = model.next(s, a);
  }
  return s;
}

// n2 owes n1 a Synchronous ACK of epoch 2 (it has not persisted the write) when n0 is promoted.
const beforePromotion = [
  'n0 crashes (membership removes it)',
  'n0 restarts and is admitted as a shadow',
  'client writes k0 at n1',
  'n0 delivers MU_END(count 0) from n1',
  'n0 delivers INV(k0, ts 1.1, v1, e2) from n1',
  'n2 delivers INV(k0, ts 1.1, v1, e2) from n1',
  'n0 completes the persist of k0 ts 1.1',
];

const staleAcks = (s: ClusterState): Msg[] => s.net.filter((m) => m.type === 1 && m.epoch !== s.epoch);

describe('promotion drops owed ACKs of older epochs', () => {
  it('n2 owes an ACK of epoch 2 before the promotion and only current-epoch ones after it', () => {
    const before = run(beforePromotion);
    expect(before.epoch).toBe(2);
    expect(before.nodes[2]!.owed).toEqual([expect.objectContaining({ kind: OWED_ACK, to: 1, epoch: 2 })]);
    const after = run([...beforePromotion, 'n0 is promoted to replica']);
    expect(after.epoch).toBe(3);
    for (const node of after.nodes) for (const o of node.owed) expect(o.epoch).toBe(3);
    // n1 replays its write in epoch 3 (R-REPLAY-COORD): n2 owes the ACK again, in epoch 3.
    const persisted = run([...beforePromotion, 'n0 is promoted to replica', 'n2 delivers INV(k0, ts 1.1, v1, e3) from n1', 'n2 completes the persist of k0 ts 1.1']);
    expect(staleAcks(persisted)).toEqual([]);
    expect(persisted.net).toContainEqual(expect.objectContaining({ type: 1, from: 2, to: 1, epoch: 3 }));
  });

  it('the write still completes and the cluster converges after the promotion', () => {
    let s = run([...beforePromotion, 'n0 is promoted to replica']);
    // Drain in a fixed order: deliveries and persists until nothing is enabled.
    for (let guard = 0; guard < 200 && model.actions(s).length > 0; guard++) s = model.next(s, model.actions(s)[0]!);
    expect(model.actions(s)).toEqual([]);
    for (const p of model.properties) expect(p.check(s), p.id).toBeNull();
    expect(s.history!.filter((h) => h.type === 1)).toHaveLength(1);
    const written = s.nodes[1]!.keys[0]!;
    expect(written.value).toBe(1);
    for (const node of s.nodes) expect(node.keys[0]).toMatchObject({ ts: written.ts, value: 1, status: 0 });
  });
});
