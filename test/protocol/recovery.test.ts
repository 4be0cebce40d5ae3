import { describe, expect, it } from 'vitest';
import { buddyOf } from '../../src/protocol/node.ts';
import {
  canPromote, onMemberAdmitted, onMemberCrashed, onMu, onMuEnd, promotedNode, restartedNode, streamTo,
} from '../../src/protocol/recovery.ts';
import { clientWrite, onInv } from '../../src/protocol/write-path.ts';
import { makeTs } from '../../src/protocol/timestamp.ts';
import { INV, INVALID, MU, MU_END, REPLAY, VALID } from '../../src/protocol/types.ts';
import { ctx, node } from './helpers.ts';

describe('Buddy selection', () => {
  it('is the first live replica after f in ring order', () => {
    expect(buddyOf(0, 3, 0b110)).toBe(1);
    expect(buddyOf(0, 3, 0b100)).toBe(2);
    expect(buddyOf(2, 3, 0b011)).toBe(0);
  });

  it('prefers a replica that holds a buffer for f, else falls back to the first replica (F12)', () => {
    // n3 crashed; n0 crashed after it and came back: only n1 and n2 hold a buffer for n3.
    expect(buddyOf(3, 4, 0b0111, 0b0110)).toBe(1);
    expect(buddyOf(3, 4, 0b0111, 0b0100)).toBe(2);
    expect(buddyOf(3, 4, 0b0111, 0)).toBe(0);
  });
});

describe('H-PP-ADD, H-SEED-MU, H-MU-RECORD, H-FREEZE', () => {
  it('an applied update enters PP; at f\'s failure the unconfirmed entry seeds MU[f]; later updates go in until frozen', () => {
    let n = onInv(node(), ctx({ self: 1 }), 0, 0, makeTs(1, 0), 1);
    expect(n.pp[0]).toMatchObject({ ts: makeTs(1, 0), conf: 0 });
    const c = ctx({ self: 1, epoch: 1, members: 0b110, replicas: 0b110 });
    n = onMemberCrashed(n, c, 0);
    expect(n.mu[0]!.entries[0]).toEqual({ ts: makeTs(1, 0), value: 1, valid: false });
    n = onInv(n, ctx({ self: 1, epoch: 1, members: 0b110, replicas: 0b110 }), 2, 0, makeTs(2, 2), 2);
    expect(n.mu[0]!.entries[0]).toMatchObject({ ts: makeTs(2, 2) });
    n = onMemberAdmitted(n, ctx({ self: 1, epoch: 2, members: 0b111, replicas: 0b110 }), 0);
    expect(n.mu[0]!.frozen).toBe(true);
    n = onInv(n, ctx({ self: 1, epoch: 2, members: 0b111, replicas: 0b110 }), 2, 0, makeTs(3, 2), 3);
    expect(n.mu[0]!.entries[0]).toMatchObject({ ts: makeTs(2, 2) });
  });
  it('an entry confirmed durable at f is not seeded', () => {
    let n = onInv(node(), ctx({ self: 1 }), 0, 0, makeTs(1, 0), 1);
    n = { ...n, pp: [{ ...n.pp[0]!, conf: 0b001 }] };
    n = onMemberCrashed(n, ctx({ self: 1, epoch: 1, members: 0b110, replicas: 0b110 }), 0);
    expect(n.mu[0]!.entries[0]).toBeNull();
  });

  it('only a member up since f last failed as a replica holds a buffer for f (F12)', () => {
    // Restarted after f failed: no buffer, and admitting f does not create one.
    const late = onMemberAdmitted(node(), ctx({ self: 1, epoch: 2, members: 0b111, replicas: 0b110 }), 0);
    expect(late.mu[0]).toBeNull();
    // f fails again as a shadow: a member without a buffer cannot seed a complete one.
    let n = onInv(node(), ctx({ self: 1 }), 0, 0, makeTs(1, 0), 1);
    n = onMemberCrashed(n, ctx({ self: 1, epoch: 3, members: 0b110, replicas: 0b110 }), 0, true);
    expect(n.mu[0]).toBeNull();
    // A member that has one since f's failure as a replica keeps it and adds to it.
    const kept = onMemberCrashed(n, ctx({ self: 1, epoch: 3, members: 0b110, replicas: 0b110 }), 0, false);
    expect(kept.mu[0]!.entries[0]).toMatchObject({ ts: makeTs(1, 0) });
  });
});

describe('H-RESTART / F-RESTART and H-MU-STREAM', () => {
  it('HEAL keeps the durable store, FullCopy drops it; every key Invalid', () => {
    const base = { ...node(), role: 0 as const, durable: [{ ts: makeTs(1, 2), value: 4, seq: 0 }] };
    const c = ctx({ self: 0, epoch: 2, members: 0b111, replicas: 0b110 });
    const h = restartedNode(base, c, c.replicas);
    expect([h.keys[0]!.ts, h.keys[0]!.status, h.rec!.buddy, h.incarnation]).toEqual([makeTs(1, 2), INVALID, 1, 1]);
    const f = restartedNode(base, ctx({ self: 0, epoch: 2, members: 0b111, replicas: 0b110, recovery: "fullcopy" }), 0b110);
    expect(f.keys[0]!.ts).toBe(0);
  });
  it('the Buddy streams each buffered key once with the count; an empty stream is one MU_END', () => {
    const n = { ...node(), mu: [{ frozen: true, entries: [{ ts: makeTs(1, 1), value: 1, valid: true }] }, null, null] };
    const c = ctx({ self: 1 });
    streamTo(n, c, 0);
    expect(c.out.sends).toEqual([expect.objectContaining({ type: MU, to: 0, ts: makeTs(1, 1), value: 1, count: 1, valid: true })]);
    const e = ctx({ self: 1 });
    streamTo({ ...node(), mu: [{ frozen: true, entries: [null], }, null, null] }, e, 0);
    expect(e.out.sends).toEqual([expect.objectContaining({ type: MU_END, to: 0, count: 0 })]);
  });

  it('a Buddy with no buffer for f (it restarted after f crashed) streams a full copy (F12)', () => {
    const e = ctx({ self: 1 });
    streamTo(node(), e, 0);
    expect(e.out.sends).toEqual([expect.objectContaining({ type: MU, to: 0, key: 0, ts: 0, count: 1 })]);
  });
});

describe('H-RCV-MU, H-RCV-MU-END, H-PROMOTE', () => {
  const c = () => ctx({ self: 0, epoch: 2, members: 0b111, replicas: 0b110 });
  const shadow = () => restartedNode({ ...node(), role: 0 }, c(), c().replicas);
  it('applies only a newer entry; a valid one makes the key Valid, an invalid one is replayed', () => {
    let f = onInv(shadow(), c(), 1, 0, makeTs(2, 1), 2);
    f = onMu(f, c(), 1, 0, makeTs(1, 1), 1, true, 1);
    expect(f.keys[0]!.ts).toBe(makeTs(2, 1));
    expect(f.rec!.muEnd).toBe(1);
    const v = onMu(shadow(), c(), 1, 0, makeTs(1, 1), 1, true, 1);
    expect(v.keys[0]!.status).toBe(VALID);
    const cc = c();
    const r = onMu(shadow(), cc, 1, 0, makeTs(1, 1), 1, false, 1);
    expect(r.keys[0]!.status).toBe(REPLAY);
    expect(cc.out.sends.map((m) => m.type)).toEqual([INV, INV]);
  });
  it('promotion waits for the stream and an empty persist pipeline; untouched keys become Valid', () => {
    let f = shadow();
    expect(canPromote(f, { mutant: null })).toBe(false);
    f = onMuEnd(f, 1, 0);
    expect(canPromote(f, { mutant: null })).toBe(true);
    expect(promotedNode(f, c()).keys[0]!.status).toBe(VALID);
    const pending = onMu(shadow(), c(), 1, 0, makeTs(1, 1), 1, true, 1);
    expect(canPromote(pending, { mutant: null })).toBe(false);
  });
  it('an untouched key holding a durable update is replayed at promotion', () => {
    const f = onMuEnd(restartedNode({ ...node(), role: 0, durable: [{ ts: makeTs(1, 0), value: 1, seq: 0 }] }, c(), c().replicas), 1, 0);
    const cc = c();
    const p = promotedNode(f, cc);
    expect(p.keys[0]!.status).toBe(REPLAY);
    expect(cc.out.sends.map((m) => [m.type, m.to])).toEqual([[INV, 1], [INV, 2]]);
  });
});

describe('crash bookkeeping', () => {
  it('forgets the crashed node in ACK sets and orphans its writes', () => {
    let n = clientWrite(node(), ctx(), 0, 1);
    n = { ...n, keys: [{ ...n.keys[0]!, acks: 0b110 }] };
    n = onMemberCrashed(n, ctx({ epoch: 1, members: 0b101, replicas: 0b101 }), 1);
    expect(n.keys[0]!.acks).toBe(0b100);
  });
});
