import { describe, expect, it } from 'vitest';
import type { MutantName } from '../../src/mutants.ts';
import { completePersist } from '../../src/protocol/persistency.ts';
import { mayPersist } from '../../src/protocol/persistency/model.ts';
import { onPack, onPval } from '../../src/protocol/persistency/renf.ts';
import { onScopeAck, startScopeEnd } from '../../src/protocol/persistency/scope.ts';
import { clientWrite, onAck, onInv, persistAndReact } from '../../src/protocol/write-path.ts';
import { makeTs } from '../../src/protocol/timestamp.ts';
import { ACK, DURABLE, PACK, PERSIST_SCOPE, PVAL, VALID, type NodeState } from '../../src/protocol/types.ts';
import { ctx, node } from './helpers.ts';

describe('P-PERSIST-DONE', () => {
  it('a persist that completes after a newer one does not roll the store back', () => {
    let n = onInv(node(), ctx({ self: 2 }), 1, 0, makeTs(1, 1), 5);
    n = onInv(n, ctx({ self: 2 }), 0, 0, makeTs(2, 0), 6);
    n = completePersist(n, ctx({ self: 2 }), 1);
    n = completePersist(n, ctx({ self: 2 }), 0);
    expect(n.durable[0]).toMatchObject({ ts: makeTs(2, 0), value: 6 });
    expect(n.pending).toEqual([]);
  });
  it('Strict: only the head of the FIFO may complete', () => {
    const c = ctx({ persistency: 'strict' });
    expect(mayPersist(node(), c, 0)).toBe(true);
    expect(mayPersist(node(), c, 1)).toBe(false);
    expect(mayPersist(node(), ctx({ persistency: 'eventual' }), 1)).toBe(true);
  });
  it('Strict numbers persists in apply order', () => {
    let n = onInv(node(), ctx({ self: 2, persistency: 'strict' }), 1, 0, makeTs(1, 1), 5);
    n = onInv(n, ctx({ self: 2, persistency: 'strict' }), 0, 0, makeTs(2, 0), 6);
    expect(n.pending.map((p) => p.seq)).toEqual([1, 2]);
  });
  it('HEAL: a completed persist sends DURABLE notices (Strict, Scope, Eventual only)', () => {
    const n = onInv(node(), ctx({ self: 2 }), 1, 0, makeTs(1, 1), 5);
    const c = ctx({ self: 2 });
    completePersist(n, c, 0);
    expect(c.out.sends.map((m) => [m.type, m.to])).toEqual([[DURABLE, 0], [DURABLE, 1]]);
    const s = ctx({ self: 2, persistency: 'synch' });
    completePersist(onInv(node(), ctx({ self: 2, persistency: 'synch' }), 1, 0, makeTs(1, 1), 5), s, 0);
    expect(s.out.sends.map((m) => m.type)).toEqual([ACK]);
  });
});

describe('P-SYNCH-ACK', () => {
  it('the owed ACK goes out when the persist completes, and completion waits for the own persist', () => {
    const c = ctx({ self: 2, persistency: 'synch' });
    const n = completePersist(onInv(node(), ctx({ self: 2, persistency: 'synch' }), 1, 0, makeTs(1, 1), 5), c, 0);
    expect(c.out.sends).toEqual([expect.objectContaining({ type: ACK, to: 1, ts: makeTs(1, 1) })]);
    expect(n.owed).toEqual([]);
    const s = ctx({ persistency: 'synch' });
    let w = clientWrite(node(), s, 0, 1);
    w = onAck(onAck(w, s, 1, 0, makeTs(1, 0)), s, 2, 0, makeTs(1, 0));
    expect(persistAndReact(w, ctx({ persistency: 'synch' }), 0).keys[0]!.status).toBe(VALID);
  });
});

describe('Read-Enforced PACK / PVAL', () => {
  it('a follower PACKs once durable; the coordinator with own persist and all PACKs sends PVAL and marks durable', () => {
    const f = ctx({ self: 2, persistency: 'renf' });
    completePersist(onInv(node(), ctx({ self: 2, persistency: 'renf' }), 0, 0, makeTs(1, 0), 1), f, 0);
    expect(f.out.sends.map((m) => m.type)).toContain(PACK);
    const c = ctx({ persistency: 'renf' });
    let w = clientWrite(node(), c, 0, 1);
    w = onAck(onAck(w, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    w = completePersist(w, c, 0);
    w = onPack(w, c, 1, 0, makeTs(1, 0));
    expect(w.keys[0]!.dmark).toBe(false);
    const last = ctx({ persistency: 'renf' });
    w = onPack(w, last, 2, 0, makeTs(1, 0));
    expect(w.keys[0]!.dmark).toBe(true);
    expect(last.out.sends.map((m) => m.type)).toEqual([PVAL, PVAL]);
    expect(last.out.sends.map((m) => m.durableAt)).toEqual([0b111, 0b111]);
    const g = onPval(onInv(node(), ctx({ self: 1, persistency: 'renf' }), 0, 0, makeTs(1, 0), 1), ctx({ self: 1, persistency: 'renf' }), 0, makeTs(1, 0), 0b111);
    expect(g.keys[0]!.dmark).toBe(true);
  });

  // Finding F10: n2 is a shadow that got the INV; the PVAL must wait for its PACK, or the
  // update is confirmed durable at a node that may crash before persisting it.
  const shadowView = { persistency: 'renf' as const, members: 0b111, replicas: 0b011 };
  function committedAtN0(): ReturnType<typeof node> {
    const c = ctx(shadowView);
    let w = clientWrite(node(), c, 0, 1);
    w = onAck(onAck(w, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    return completePersist(w, c, 0);
  }

  it('F10: PVAL waits for the PACK of a shadow the INV went to, then confirms it durable', () => {
    const afterReplica = ctx(shadowView);
    let w = onPack(committedAtN0(), afterReplica, 1, 0, makeTs(1, 0));
    expect(w.keys[0]!.dmark).toBe(false);
    expect(afterReplica.out.sends.map((m) => m.type)).not.toContain(PVAL);
    expect(w.pp[0]).toMatchObject({ conf: 0b011 });
    const afterShadow = ctx(shadowView);
    w = onPack(w, afterShadow, 2, 0, makeTs(1, 0));
    expect(w.keys[0]!.dmark).toBe(true);
    expect(afterShadow.out.sends.map((m) => [m.type, m.durableAt])).toEqual([[PVAL, 0b111], [PVAL, 0b111]]);
    expect(w.pp[0]).toBeNull();
  });

  it('F10: a member admitted after the commit is not waited for, and a PVAL confirms only the nodes it names', () => {
    // n2 was not a member when n0 wrote: the INV never reached it, so no PACK will come.
    const before = { persistency: 'renf' as const, members: 0b011, replicas: 0b011 };
    const c = ctx(before);
    let w = clientWrite(node(), c, 0, 1);
    w = onAck(w, c, 1, 0, makeTs(1, 0));
    w = completePersist(w, c, 0);
    const admitted = ctx({ ...before, members: 0b111, epoch: 1 });
    w = onPack(w, admitted, 1, 0, makeTs(1, 0));
    expect(w.keys[0]!.dmark).toBe(true);
    expect(admitted.out.sends.filter((m) => m.type === PVAL).map((m) => m.durableAt)).toEqual([0b011, 0b011]);
    // The PP entry stays unconfirmed at n2, so a crash of n2 would seed its buffer.
    expect(w.pp[0]).toMatchObject({ conf: 0b011 });
    const r = ctx({ self: 1, ...before, members: 0b111 });
    const g = onPval(onInv(node(), ctx({ self: 1, ...before }), 0, 0, makeTs(1, 0), 1), r, 0, makeTs(1, 0), 0b011);
    expect(g.keys[0]!.dmark).toBe(true);
    expect(g.pp[0]).toMatchObject({ conf: 0b011 });
  });
});

describe('Scope', () => {
  it('a scope end waits for every member SCOPE_ACK and its own durability', () => {
    const c = ctx({ persistency: 'scope' });
    let n = clientWrite(node(), c, 0, 1);
    n = onAck(onAck(n, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    const s = ctx({ persistency: 'scope' });
    n = startScopeEnd(n, s);
    expect(s.out.sends.map((m) => m.type)).toEqual([PERSIST_SCOPE, PERSIST_SCOPE]);
    n = persistAndReact(n, ctx({ persistency: 'scope' }), 0);
    n = onScopeAck(n, ctx({ persistency: 'scope' }), 1, 0, makeTs(1, 0));
    expect(n.client).not.toBeNull();
    const d = ctx({ persistency: 'scope' });
    n = onScopeAck(n, d, 2, 0, makeTs(1, 0));
    expect(n.client).toBeNull();
    expect(d.out.replies).toEqual([expect.objectContaining({ f: 'scope-end' })]);
  });

  /** n0 ended a scope with ts 1.0, then wrote ts 2.0 and is ending a second scope. */
  function secondScopeEnd(mutant: MutantName | null): NodeState {
    const c = ctx({ persistency: 'scope', mutant });
    let n = clientWrite(node(), c, 0, 1);
    n = onAck(onAck(n, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    n = startScopeEnd(n, c);
    n = persistAndReact(n, c, 0);
    n = onScopeAck(onScopeAck(n, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    expect(c.out.replies.map((r) => r.f)).toEqual(['write', 'scope-end']);
    n = clientWrite(n, c, 0, 2);
    n = onAck(onAck(n, c, 1, 0, makeTs(2, 0)), c, 2, 0, makeTs(2, 0));
    n = persistAndReact(startScopeEnd(n, c), c, 0);
    expect(n.client).toMatchObject({ kind: 1, waiting: [0b110] });
    return n;
  }

  it('F14: a SCOPE_ACK of an earlier scope end (same key, older ts) is ignored', () => {
    const c = ctx({ persistency: 'scope' });
    let n = secondScopeEnd(null);
    n = onScopeAck(onScopeAck(n, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    expect(n.client).toMatchObject({ kind: 1, waiting: [0b110] });
    expect(c.out.replies).toEqual([]);
    n = onScopeAck(onScopeAck(n, c, 1, 0, makeTs(2, 0)), c, 2, 0, makeTs(2, 0));
    expect(n.client).toBeNull();
    expect(c.out.replies).toEqual([expect.objectContaining({ f: 'scope-end' })]);
  });

  it('F14: mutant scope-ack-unmatched lets the earlier scope end\'s SCOPE_ACKs end the second', () => {
    const c = ctx({ persistency: 'scope', mutant: 'scope-ack-unmatched' });
    let n = secondScopeEnd('scope-ack-unmatched');
    n = onScopeAck(onScopeAck(n, c, 1, 0, makeTs(1, 0)), c, 2, 0, makeTs(1, 0));
    expect(n.client).toBeNull();
    expect(c.out.replies).toEqual([expect.objectContaining({ f: 'scope-end' })]);
  });

  it('a SCOPE_ACK reaching a node with no scope end pending (idle, or in a write) changes nothing', () => {
    const c = ctx({ persistency: 'scope' });
    const idle = node();
    expect(onScopeAck(idle, c, 1, 0, makeTs(1, 0))).toBe(idle);
    const writing = clientWrite(node(), c, 0, 1);
    expect(onScopeAck(writing, c, 1, 0, makeTs(1, 0))).toBe(writing);
  });
});
