import { describe, expect, it } from 'vitest';
import { clientWrite, serveRead, onAck, onInv, onVal, reactToView, tryReplayFollower } from '../../src/protocol/write-path.ts';
import { makeTs } from '../../src/protocol/timestamp.ts';
import { ACK, INV, INVALID, INVALID_WRITE, REPLAY, VAL, VALID, WRITE } from '../../src/protocol/types.ts';
import { ORPHANED } from '../../src/protocol/node.ts';
import { ctx, node } from './helpers.ts';

describe('R-WRITE', () => {
  it('takes ts (version+1, self), goes Write, persists and sends INV to every other member', () => {
    const c = ctx({ self: 1 });
    const n = clientWrite(node(), c, 0, 7);
    const k = n.keys[0]!;
    expect([k.ts, k.status, k.value, k.wts, k.acks]).toEqual([makeTs(1, 1), WRITE, 7, makeTs(1, 1), 0]);
    expect(n.pending).toEqual([{ key: 0, ts: makeTs(1, 1), value: 7, seq: 0 }]);
    expect(c.out.sends.map((m) => [m.type, m.to])).toEqual([[INV, 0], [INV, 2]]);
    expect(n.client).toMatchObject({ kind: 0, key: 0, value: 7 });
  });
});

describe('R-RCV-INV', () => {
  it('adopts a newer ts, goes Invalid, persists, and ACKs (Eventual: at once)', () => {
    const c = ctx({ self: 2 });
    const n = onInv(node(), c, 1, 0, makeTs(1, 1), 5);
    expect([n.keys[0]!.status, n.keys[0]!.ts, n.keys[0]!.lastWriter]).toEqual([INVALID, makeTs(1, 1), 1]);
    expect(n.pending).toHaveLength(1);
    expect(c.out.sends).toEqual([expect.objectContaining({ type: ACK, to: 1, ts: makeTs(1, 1) })]);
  });
  it('ACKs an older INV without applying it', () => {
    const c = ctx({ self: 2 });
    const first = onInv(node(), ctx({ self: 2 }), 1, 0, makeTs(2, 1), 5);
    const n = onInv(first, c, 0, 0, makeTs(1, 0), 3);
    expect(n.keys[0]!.ts).toBe(makeTs(2, 1));
    expect(n.pending).toHaveLength(1);
    expect(c.out.sends[0]).toMatchObject({ type: ACK, to: 0, ts: makeTs(1, 0) });
  });
  it('turns a coordinating Write into InvalidWrite, keeping its own write', () => {
    const w = clientWrite(node(), ctx({ self: 0 }), 0, 1);
    const n = onInv(w, ctx({ self: 0 }), 2, 0, makeTs(1, 2), 2);
    expect([n.keys[0]!.status, n.keys[0]!.wts, n.keys[0]!.value]).toEqual([INVALID_WRITE, makeTs(1, 0), 2]);
  });
  it('under Synchronous owes the ACK until the persist completes', () => {
    const c = ctx({ self: 2, persistency: 'synch' });
    const n = onInv(node(), c, 1, 0, makeTs(1, 1), 5);
    expect(c.out.sends).toEqual([]);
    expect(n.owed).toEqual([expect.objectContaining({ kind: 0, to: 1, ts: makeTs(1, 1) })]);
  });
});

describe('R-RCV-ACK, R-COMPLETE, R-COMPLETE-INVW', () => {
  it('completes with every other member ACKed: Valid, VAL, client returns', () => {
    let n = clientWrite(node(), ctx(), 0, 1);
    n = onAck(n, ctx(), 1, 0, makeTs(1, 0));
    expect(n.keys[0]!.status).toBe(WRITE);
    const c = ctx();
    n = onAck(n, c, 2, 0, makeTs(1, 0));
    expect(n.keys[0]!.status).toBe(VALID);
    expect(c.out.sends.filter((m) => m.type === VAL).map((m) => m.to)).toEqual([1, 2]);
    expect(c.out.replies).toEqual([{ f: 'write', key: 0, value: 1, ts: makeTs(1, 0) }]);
    expect(n.client).toBeNull();
  });
  it('ignores an ACK for another ts', () => {
    const n = clientWrite(node(), ctx(), 0, 1);
    expect(onAck(n, ctx(), 1, 0, makeTs(9, 1)).keys[0]!.acks).toBe(0);
  });
  it('an overtaken write returns and stays Invalid; with its VAL already seen it becomes Valid', () => {
    let n = clientWrite(node(), ctx(), 0, 1);
    n = onInv(n, ctx(), 2, 0, makeTs(1, 2), 2);
    const plain = onAck(onAck(n, ctx(), 1, 0, makeTs(1, 0)), ctx(), 2, 0, makeTs(1, 0));
    expect(plain.keys[0]!.status).toBe(INVALID);
    expect(plain.client).toBeNull();
    const seen = onVal(n, ctx(), 0, makeTs(1, 2));
    expect(seen.keys[0]!.committed).toBe(true);
    const done = onAck(onAck(seen, ctx(), 1, 0, makeTs(1, 0)), ctx(), 2, 0, makeTs(1, 0));
    expect(done.keys[0]!.status).toBe(VALID);
  });
  it('under Synchronous also waits for its own persist', () => {
    const c = ctx({ persistency: 'synch' });
    let n = clientWrite(node(), c, 0, 1);
    n = onAck(onAck(n, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    expect(n.keys[0]!.status).toBe(WRITE);
  });
});

describe('R-RCV-VAL', () => {
  it('validates the exact ts only', () => {
    const n = onInv(node(), ctx({ self: 2 }), 1, 0, makeTs(1, 1), 5);
    expect(onVal(n, ctx({ self: 2 }), 0, makeTs(2, 1)).keys[0]!.status).toBe(INVALID);
    expect(onVal(n, ctx({ self: 2 }), 0, makeTs(1, 1)).keys[0]!.status).toBe(VALID);
  });
  it('a replayer ignores the original VAL and finishes its own replay', () => {
    const n = onInv(node(), ctx({ self: 2 }), 1, 0, makeTs(1, 1), 5);
    const r = tryReplayFollower({ ...n, keys: [{ ...n.keys[0]!, lastWriter: ORPHANED }] }, ctx({ self: 2, members: 0b101 }), 0);
    expect(r.keys[0]!.status).toBe(REPLAY);
    expect(onVal(r, ctx({ self: 2, members: 0b101 }), 0, makeTs(1, 1)).keys[0]!.status).toBe(REPLAY);
    const c = ctx({ self: 2, members: 0b101 });
    const done = onAck(r, c, 0, 0, makeTs(1, 1));
    expect(done.keys[0]!.status).toBe(VALID);
    expect(c.out.sends.map((m) => [m.type, m.to])).toEqual([[VAL, 0]]);
  });
});

describe('R-REPLAY-FOLLOWER and R-REPLAY-COORD', () => {
  it('a follower whose writer left the view replays with the same ts and value', () => {
    const n = onInv(node(), ctx({ self: 2 }), 1, 0, makeTs(1, 1), 5);
    const c = ctx({ self: 2, members: 0b101, epoch: 1 });
    const r = reactToView(n, c);
    expect([r.keys[0]!.status, r.keys[0]!.wts, r.keys[0]!.lastWriter]).toEqual([REPLAY, makeTs(1, 1), 2]);
    expect(c.out.sends).toEqual([expect.objectContaining({ type: INV, to: 0, ts: makeTs(1, 1), value: 5, epoch: 1 })]);
  });
  it('a coordinator lacking ACKs re-broadcasts in the new epoch, keeping its ACKs', () => {
    let n = clientWrite(node(), ctx(), 0, 1);
    n = onAck(n, ctx(), 1, 0, makeTs(1, 0));
    const c = ctx({ epoch: 1, members: 0b111 });
    const r = reactToView(n, c);
    expect(r.keys[0]!.wepoch).toBe(1);
    expect(r.keys[0]!.acks).toBe(0b010);
    expect(c.out.sends.map((m) => [m.type, m.to, m.epoch])).toEqual([[INV, 1, 1], [INV, 2, 1]]);
  });
  it('a coordinator whose only missing ACK left the view completes', () => {
    let n = clientWrite(node(), ctx(), 0, 1);
    n = onAck(n, ctx(), 1, 0, makeTs(1, 0));
    const r = reactToView(n, ctx({ epoch: 1, members: 0b011, replicas: 0b011 }));
    expect(r.keys[0]!.status).toBe(VALID);
  });
});

describe('R-READ guard', () => {
  it('a replica reads a Valid key; a shadow never does; Read-Enforced needs the durable mark', () => {
    expect(serveRead(node(), ctx(), 0)).toEqual({ value: 0, ts: 0 });
    expect(serveRead({ ...node(), role: 1 }, ctx(), 0)).toBeNull();
    const n = onVal(onInv(node(), ctx({ self: 2 }), 1, 0, makeTs(1, 1), 5), ctx({ self: 2 }), 0, makeTs(1, 1));
    expect(serveRead(n, ctx({ self: 2, persistency: 'renf' }), 0)).toBeNull();
    // The reply names the ts of the value it returns, as a write reply does.
    expect(serveRead(n, ctx({ self: 2 }), 0)).toEqual({ value: 5, ts: makeTs(1, 1) });
  });
});
