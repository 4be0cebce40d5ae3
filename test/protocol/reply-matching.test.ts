/**
 * Every reply is matched to the request it answers, so a stale or duplicated one changes
 * nothing (the audit after finding F14, spec/messages.md "Replies and what they are
 * matched on"). Each test delivers the reply through `deliver`, the receive path the
 * cluster uses, so the epoch filter (isStale) is part of what is tested.
 */
import { describe, expect, it } from 'vitest';
import { deliver } from '../../src/protocol/replica.ts';
import { onPack } from '../../src/protocol/persistency/renf.ts';
import { startScopeEnd } from '../../src/protocol/persistency/scope.ts';
import { restartedNode } from '../../src/protocol/recovery.ts';
import { clientWrite, onAck, persistAndReact } from '../../src/protocol/write-path.ts';
import { makeTs } from '../../src/protocol/timestamp.ts';
import {
  ACK, DURABLE, MU, MU_END, PACK, SCOPE_ACK, START_ACK, VALID, WRITE,
  type Ctx, type Msg, type MsgType, type NodeState,
} from '../../src/protocol/types.ts';
import { actions, describeAction, initialState, next, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { seededRandom } from '../../checker/explore/random.ts';
import { config as harnessConfig } from '../cluster/harness.ts';
import { ctx, node } from './helpers.ts';

function msg(type: MsgType, from: number, over: Partial<Msg> = {}): Msg {
  return { type, from, to: 0, key: 0, ts: 0, value: 0, epoch: 0, durableAt: 0, count: 0, valid: false, ...over };
}

/** Delivers m to n twice: the second delivery must change nothing and send nothing. */
function twice(n: NodeState, c: () => Ctx, m: Msg): NodeState {
  const once = deliver(n, c(), m);
  const again = c();
  expect(deliver(once, again, m)).toEqual(once);
  expect(again.out).toEqual({ sends: [], replies: [] });
  return once;
}

describe('ACK: matched on epoch, key and the ts being coordinated', () => {
  const c = () => ctx({ epoch: 3 });
  const writing = () => clientWrite(node(), c(), 0, 1);

  it('an ACK of another epoch is dropped unread', () => {
    const n = writing();
    expect(deliver(n, c(), msg(ACK, 1, { ts: makeTs(1, 0), epoch: 2 }))).toBe(n);
  });

  it('an ACK of an earlier write of the key does not count for the current one', () => {
    // n0's second write (ts 2.0) while an ACK of its first (ts 1.0) arrives late.
    let n = clientWrite(node(), c(), 0, 1);
    n = onAck(onAck(n, c(), 1, 0, makeTs(1, 0)), c(), 2, 0, makeTs(1, 0));
    n = clientWrite(n, c(), 0, 2);
    const late = deliver(n, c(), msg(ACK, 1, { ts: makeTs(1, 0), epoch: 3 }));
    expect(late.keys[0]!).toMatchObject({ status: WRITE, wts: makeTs(2, 0), acks: 0 });
  });

  it('a duplicated ACK counts once, and one reaching a finished write changes nothing', () => {
    let n = twice(writing(), c, msg(ACK, 1, { ts: makeTs(1, 0), epoch: 3 }));
    expect(n.keys[0]!).toMatchObject({ status: WRITE, acks: 0b010 });
    n = deliver(n, c(), msg(ACK, 2, { ts: makeTs(1, 0), epoch: 3 }));
    expect(n.keys[0]!.status).toBe(VALID);
    twice(n, c, msg(ACK, 2, { ts: makeTs(1, 0), epoch: 3 }));
  });
});

describe('PACK: matched on key and the ts being coordinated (and on the sender incarnation under FullCopy, F11)', () => {
  const c = () => ctx({ persistency: 'renf', recovery: 'fullcopy', trackPP: false });
  /** n0's write ts 2.0 committed, its own persist done, PVAL waiting for n1's and n2's PACKs. */
  const committed = () => {
    let n = clientWrite(node(), c(), 0, 1);
    n = onAck(onAck(n, c(), 1, 0, makeTs(1, 0)), c(), 2, 0, makeTs(1, 0));
    n = persistAndReact(n, c(), 0);
    n = onPack(onPack(n, c(), 1, 0, makeTs(1, 0)), c(), 2, 0, makeTs(1, 0));
    n = clientWrite(n, c(), 0, 2);
    n = onAck(onAck(n, c(), 1, 0, makeTs(2, 0)), c(), 2, 0, makeTs(2, 0));
    return persistAndReact(n, c(), 0);
  };

  it('a PACK of an earlier write of the key does not count for the current one', () => {
    const n = committed();
    expect(n.keys[0]!).toMatchObject({ status: VALID, wts: makeTs(2, 0), packs: 0, dmark: false });
    const late = deliver(n, c(), msg(PACK, 1, { ts: makeTs(1, 0) }));
    expect(late.keys[0]!).toMatchObject({ packs: 0, dmark: false });
  });

  it('a duplicated PACK counts once', () => {
    const n = twice(committed(), c, msg(PACK, 1, { ts: makeTs(2, 0) }));
    expect(n.keys[0]!).toMatchObject({ packs: 0b010, dmark: false });
  });
});

describe('SCOPE_ACK: matched on key and the ts of the scope end it answers (F14)', () => {
  const c = () => ctx({ persistency: 'scope', trackPP: false });
  /** n0 ended a scope of ts 1.0, then wrote ts 2.0 and is ending a second scope. */
  const secondScopeEnd = () => {
    let n = clientWrite(node(), c(), 0, 1);
    n = onAck(onAck(n, c(), 1, 0, makeTs(1, 0)), c(), 2, 0, makeTs(1, 0));
    n = persistAndReact(startScopeEnd(n, c()), c(), 0);
    n = deliver(deliver(n, c(), msg(SCOPE_ACK, 1, { ts: makeTs(1, 0) })), c(), msg(SCOPE_ACK, 2, { ts: makeTs(1, 0) }));
    expect(n.client).toBeNull();
    n = clientWrite(n, c(), 0, 2);
    n = onAck(onAck(n, c(), 1, 0, makeTs(2, 0)), c(), 2, 0, makeTs(2, 0));
    return persistAndReact(startScopeEnd(n, c()), c(), 0);
  };

  it('a SCOPE_ACK of the earlier scope end is ignored', () => {
    const n = secondScopeEnd();
    expect(deliver(n, c(), msg(SCOPE_ACK, 1, { ts: makeTs(1, 0) }))).toBe(n);
  });

  it('a duplicated SCOPE_ACK counts once', () => {
    const n = twice(secondScopeEnd(), c, msg(SCOPE_ACK, 1, { ts: makeTs(2, 0) }));
    expect(n.client).toMatchObject({ kind: 1, waiting: [0b100] });
  });
});

describe('MU and MU_END: taken only by a shadow, counted only from its current Buddy', () => {
  const c = () => ctx({ self: 0, epoch: 2, members: 0b111, replicas: 0b110 });
  /** n0 restarted; its Buddy is n1. */
  const shadow = () => restartedNode({ ...node(), role: 0 }, c(), c().replicas);

  it('a duplicated MU is applied and counted once', () => {
    const n = twice(shadow(), c, msg(MU, 1, { ts: makeTs(1, 1), value: 1, count: 1, valid: true }));
    expect(n.keys[0]!).toMatchObject({ ts: makeTs(1, 1), status: VALID });
    expect(n.rec).toMatchObject({ muKeys: [0b1], muEnd: 1 });
  });

  it('an MU or MU_END from a node that is not the current Buddy does not count towards the stream', () => {
    const f = shadow();
    expect(f.rec!.buddy).toBe(1);
    const mu = deliver(f, c(), msg(MU, 2, { ts: makeTs(1, 2), value: 1, count: 1, valid: true }));
    expect(mu.rec).toMatchObject({ muKeys: [], muEnd: -1 });
    expect(deliver(f, c(), msg(MU_END, 2))).toBe(f);
  });

  it('an MU_END delivered twice sets the same count', () => {
    expect(twice(shadow(), c, msg(MU_END, 1)).rec!.muEnd).toBe(0);
  });

  it('an MU or MU_END reaching a node that is no longer a shadow is dropped (F13)', () => {
    const replica = clientWrite(node(), c(), 0, 1);
    expect(deliver(replica, c(), msg(MU, 1, { ts: makeTs(5, 1), value: 7, count: 1, valid: true }))).toBe(replica);
    expect(deliver(replica, c(), msg(MU_END, 1))).toBe(replica);
  });
});

describe('DURABLE: a notice, taken from members only, idempotent', () => {
  const c = (members = 0b111) => ctx({ persistency: 'scope', members, replicas: members });
  const withEntry = (): NodeState => ({ ...node(), pp: [{ ts: makeTs(2, 0), value: 2, conf: 0b001 }] });

  it('a duplicated DURABLE confirms once', () => {
    const n = twice(withEntry(), () => c(), msg(DURABLE, 1, { ts: makeTs(2, 0) }));
    expect(n.pp[0]).toMatchObject({ conf: 0b011 });
  });

  it('a DURABLE for an older ts, or from a node that is not a member, confirms nothing', () => {
    const n = withEntry();
    expect(deliver(n, c(), msg(DURABLE, 1, { ts: makeTs(1, 0) }))).toBe(n);
    expect(deliver(n, c(0b101), msg(DURABLE, 1, { ts: makeTs(2, 0) }))).toBe(n);
  });
});

describe('replies in the cluster: what the network does with stale ones', () => {
  /** Runs the steps by description, returning the state reached. */
  function script(cfg: ClusterConfig, steps: readonly string[]): ClusterState {
    let s = initialState(cfg);
    for (const step of steps) {
      const a = actions(cfg, s).find((x) => describeAction(x) === step);
      expect(a, step).toBeDefined();
      s = next(cfg, s, a!);
    }
    return s;
  }
  const steps = [
    'client writes k0 at n0',
    'n1 delivers INV(k0, ts 1.0, v1, e0) from n0',
    'n1 completes the persist of k0 ts 1.0',
    'n1 crashes (membership removes it)',
  ];
  const packsFromN1 = (s: ClusterState) => s.net.filter((m) => m.type === PACK && m.from === 1).length;

  it('PACK: a FullCopy crash voids the PACKs its node sent (F-PACK-VOID, F11); under HEAL they stay true and stay', () => {
    const cfg = (recovery: 'heal' | 'fullcopy') => harnessConfig({ persistency: 'renf', recovery, writes: 1, reads: 0 });
    expect(packsFromN1(script(cfg('fullcopy'), steps.slice(0, 3)))).toBe(1);
    expect(packsFromN1(script(cfg('fullcopy'), steps))).toBe(0);
    expect(packsFromN1(script(cfg('heal'), steps))).toBe(1);
  });

  it('START_ACK is never sent (RED-START-ACK), so none can be stale or duplicated', () => {
    const random = seededRandom(3);
    let restarts = 0;
    for (const recovery of ['heal', 'fullcopy'] as const) {
      const cfg = harnessConfig({ persistency: 'scope', recovery, scopes: 1, crashes: 2, writes: 2, reads: 1, duplicates: true });
      for (let w = 0; w < 200; w++) {
        let s = initialState(cfg);
        for (let d = 0; d < 60; d++) {
          const as = actions(cfg, s);
          if (as.length === 0) break;
          const a = as[Math.floor(random() * as.length)]!;
          if (a.kind === 'restart') restarts++;
          s = next(cfg, s, a);
          expect(s.net.some((m) => m.type === START_ACK)).toBe(false);
        }
      }
    }
    expect(restarts).toBeGreaterThan(50);
  });
});
