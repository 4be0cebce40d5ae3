/**
 * The Hermes-style write path (spec/replica.md): R-WRITE, R-RCV-INV, R-RCV-ACK,
 * R-COMPLETE, R-COMPLETE-INVW, R-RCV-VAL, R-REPLAY-FOLLOWER, R-REPLAY-COORD.
 */
import { bit, broadcast, isMember, others, withKey } from './node.ts';
import { completePersist, issuePersist } from './persistency.ts';
import { ackNow } from './persistency/model.ts';
import { ppAdd } from './recovery-hooks.ts';
import { withKeyAdded } from './key-set.ts';
import { makeTs, versionOf } from './timestamp.ts';
import {
  CLIENT_WRITE, INV, INVALID, INVALID_WRITE, REPLAY, REPLICA, SHADOW, VAL, VALID, WRITE,
  type Ctx, type KeyState, type NodeState,
} from './types.ts';

/** Everything that follows applying an update: P-ISSUE, H-PP-ADD, H-MU-RECORD. */
export function applied(node: NodeState, ctx: Ctx, k: number, ts: number, value: number, valid: boolean, follower: boolean): NodeState {
  let next = node;
  // Mutant eventual-skip-follower-persist: a follower under Eventual never queues the persist.
  if (!(follower && ctx.mutant === 'eventual-skip-follower-persist')) next = issuePersist(next, ctx, k, ts, value);
  next = ppAdd(next, ctx, k, ts, value);
  return record(next, ctx, k, ts, value, valid);
}

/** H-MU-RECORD where the recovery keeps buffers. */
function record(node: NodeState, ctx: Ctx, k: number, ts: number, value: number, valid: boolean): NodeState {
  const h = ctx.recovery.record;
  return h === null ? node : h(node, ctx, k, ts, value, valid);
}

/** R-WRITE. The cluster checks the guard (replica, Valid, no pending client op, budget). */
export function clientWrite(node: NodeState, ctx: Ctx, k: number, value: number): NodeState {
  const old = node.keys[k]!;
  // Mutant f8-ts-no-incarnation: the brief's (version, node).
  const ts = makeTs(versionOf(old.ts) + 1, ctx.self, ctx.mutant === 'f8-ts-no-incarnation' ? 0 : node.incarnation);
  const ks: KeyState = {
    value, ts, status: WRITE, lastWriter: ctx.self, wts: ts, wval: value,
    acks: 0, wepoch: ctx.epoch, packs: 0, dmark: false, committed: false,
  };
  let next = withKey(node, k, ks);
  next = { ...next, client: { kind: CLIENT_WRITE, key: k, ts, value, waiting: [] } };
  const h = ctx.persistency.onClientWrite;
  if (h !== null) next = h(next, ctx, k, ts);
  next = applied(next, ctx, k, ts, value, false, false);
  broadcast(ctx, INV, k, ts, { value, epoch: ctx.epoch });
  // Mutant write-returns-early: the client is answered once the INVs are out, before any ACK.
  if (ctx.mutant === 'write-returns-early') {
    ctx.out.replies.push({ f: 'write', key: k, value, ts });
    next = { ...next, client: null };
  }
  return tryComplete(next, ctx, k);
}

/** R-RCV-INV. The cluster has already dropped INVs of another epoch. */
export function onInv(node: NodeState, ctx: Ctx, from: number, k: number, ts: number, value: number): NodeState {
  let next = node;
  const ks = node.keys[k]!;
  if (ts > ks.ts) {
    const status = ks.status === WRITE || ks.status === INVALID_WRITE ? INVALID_WRITE : INVALID;
    next = withKey(next, k, { ...ks, value, ts, lastWriter: from, status, dmark: false, committed: false });
    // Mutant invw-drops-client: an overtaken write forgets its client, which is never answered.
    if (ctx.mutant === 'invw-drops-client' && status === INVALID_WRITE) next = { ...next, client: null };
    next = applied(next, ctx, k, ts, value, false, true);
    if (next.rec !== null) next = { ...next, rec: { ...next.rec, touched: withKeyAdded(next.rec.touched, k) } };
  }
  const h = ctx.persistency.answerInv;
  if (h !== null) return h(next, ctx, from, k, ts);
  ackNow(ctx, from, k, ts);
  return next;
}

/** R-RCV-ACK. The cluster has already dropped ACKs of another epoch. */
export function onAck(node: NodeState, ctx: Ctx, from: number, k: number, ts: number): NodeState {
  const ks = node.keys[k]!;
  const h = ctx.persistency.onAck;
  let next = h === null ? node : h(node, ctx, from, k, ts);
  if (ks.status !== WRITE && ks.status !== INVALID_WRITE && ks.status !== REPLAY) return next;
  if (ks.wts !== ts) return next;
  next = withKey(next, k, { ...next.keys[k]!, acks: ks.acks | bit(from) });
  return tryComplete(next, ctx, k);
}

function allAcked(ks: KeyState, ctx: Ctx): boolean {
  const need = others(ctx);
  return (ks.acks & need) === need;
}

/** R-COMPLETE and R-COMPLETE-INVW, with the persistency model's completion condition. */
export function tryComplete(node: NodeState, ctx: Ctx, k: number): NodeState {
  const ks = node.keys[k]!;
  if (ks.status !== WRITE && ks.status !== INVALID_WRITE && ks.status !== REPLAY) return node;
  if (!allAcked(ks, ctx)) return node;
  const may = ctx.persistency.mayComplete;
  if (may !== null && !may(node, k, ks.wts)) return node;
  let next = node;
  const c = node.client;
  const ownWrite = c !== null && c.kind === CLIENT_WRITE && c.key === k && c.ts === ks.wts;
  if (ownWrite) {
    ctx.out.replies.push({ f: 'write', key: k, value: c.value, ts: c.ts });
    next = { ...next, client: null };
  }
  if (ks.status === INVALID_WRITE) {
    if (ks.committed) {
      next = withKey(next, k, { ...ks, status: VALID, wts: 0, wval: 0, acks: 0, packs: 0, committed: false });
      return record(next, ctx, k, ks.ts, ks.value, true);
    }
    next = withKey(next, k, { ...ks, status: INVALID, wts: 0, wval: 0, acks: 0, packs: 0 });
    return tryReplayFollower(next, ctx, k);
  }
  next = withKey(next, k, { ...ks, status: VALID });
  broadcast(ctx, VAL, k, ks.ts);
  next = record(next, ctx, k, ks.ts, ks.value, true);
  const h = ctx.persistency.onCommit;
  return h === null ? next : h(next, ctx, k, ks.ts);
}

/**
 * R-RCV-VAL. Deviation (properties.md): a VAL for the ts held in InvalidWrite is
 * remembered (`committed`), so that when the overtaken own write finishes the key
 * becomes Valid instead of waiting for a VAL that has already come and gone.
 */
export function onVal(node: NodeState, ctx: Ctx, k: number, ts: number): NodeState {
  const ks = node.keys[k]!;
  if (ks.ts !== ts) return node;
  if (ks.status === INVALID_WRITE) {
    // Mutant f5-invw-drops-val: the brief's rule drops it.
    if (ctx.mutant === 'f5-invw-drops-val') return node;
    return ks.committed ? node : withKey(node, k, { ...ks, committed: true });
  }
  // Deviation (properties.md, finding F3): a replayer ignores the original VAL and
  // finishes its replay, because members that got only its replayed INV (a shadow
  // admitted after the original VAL was sent) wait for a VAL from it.
  // Mutant f3-replayer-takes-val: Hermes' rule, a replayer goes Valid too.
  if (ks.status !== INVALID && !(ks.status === REPLAY && ctx.mutant === 'f3-replayer-takes-val')) return node;
  let next = node;
  next = withKey(next, k, { ...ks, status: VALID, wts: 0, wval: 0, acks: 0, packs: 0 });
  next = record(next, ctx, k, ts, ks.value, true);
  const h = ctx.persistency.onVal;
  return h === null ? next : h(next, ctx, k, ts);
}

/**
 * R-REPLAY-FOLLOWER. Deviation (properties.md): only from Invalid. An InvalidWrite node
 * first finishes its own client's write (R-REPLAY-COORD keeps it going), then replays.
 */
export function tryReplayFollower(node: NodeState, ctx: Ctx, k: number): NodeState {
  const ks = node.keys[k]!;
  // Mutant f6-invw-follower-replay: the brief's rule, also from InvalidWrite.
  const from = ks.status === INVALID || (ks.status === INVALID_WRITE && ctx.mutant === 'f6-invw-follower-replay');
  if (!from || ks.lastWriter === ctx.self || isMember(ctx, ks.lastWriter)) return node;
  const next = withKey(node, k, {
    ...ks, status: REPLAY, lastWriter: ctx.self, wts: ks.ts, wval: ks.value, acks: 0, packs: 0, wepoch: ctx.epoch, dmark: replayMark(ks, ctx),
  });
  broadcast(ctx, INV, k, ks.ts, { value: ks.value, epoch: ctx.epoch });
  return tryComplete(next, ctx, k);
}

/**
 * A replayer starts without the durable mark even if another node's PVAL gave it one
 * (Read-Enforced, finding F15): the members its replayed INV reaches wait for its own
 * PVAL, which P-RENF-PVAL sends only while the mark is off. Mutant f15-renf-no-remark keeps it.
 */
export function replayMark(ks: KeyState, ctx: Ctx): boolean {
  return ctx.mutant === 'f15-renf-no-remark' ? ks.dmark : false;
}

/** R-REPLAY-COORD. Mutant no-coordinator-replay skips it. */
export function tryReplayCoord(node: NodeState, ctx: Ctx, k: number): NodeState {
  const ks = node.keys[k]!;
  if (ks.status !== WRITE && ks.status !== INVALID_WRITE && ks.status !== REPLAY) return node;
  if (ks.wepoch >= ctx.epoch || allAcked(ks, ctx)) return node;
  if (ctx.mutant === 'no-coordinator-replay') return node;
  broadcast(ctx, INV, k, ks.wts, { value: ks.wval, epoch: ctx.epoch });
  return withKey(node, k, { ...ks, wepoch: ctx.epoch });
}

/** R-EPOCH's per-key part: complete where the new view allows, else replay. */
export function reactToView(node: NodeState, ctx: Ctx): NodeState {
  let next = node;
  const h = ctx.persistency.afterViewChange;
  for (let k = 0; k < ctx.keyCount; k++) {
    next = tryComplete(next, ctx, k);
    next = tryReplayCoord(next, ctx, k);
    next = tryReplayFollower(next, ctx, k);
    if (h !== null) next = h(next, ctx, k);
  }
  return next;
}

/**
 * R-READ: the node's read interface, the one door a client read (the model's read action,
 * the runtime node) and a property's probe read (AGREE, CONVERGE) go through. What a read
 * of k answers now, with the ts of the value as the reply names it, or null when the node
 * cannot serve it now (the read waits).
 */
export function serveRead(node: NodeState, ctx: Ctx, k: number): { readonly value: number; readonly ts: number } | null {
  if (!canServeRead(node, ctx, k)) return null;
  // Mutant read-from-durable: the reply comes from the node's durable store, which may lag
  // the Valid value it holds (the key state, which every replica agrees on, looks right).
  const ks = ctx.mutant === 'read-from-durable' ? node.durable[k]! : node.keys[k]!;
  return { value: ks.value, ts: ks.ts };
}

function canServeRead(node: NodeState, ctx: Ctx, k: number): boolean {
  const ks = node.keys[k]!;
  // Mutant shadow-answers-reads: a shadow serves reads like a replica.
  if (node.role !== REPLICA && !(node.role === SHADOW && ctx.mutant === 'shadow-answers-reads')) return false;
  // Mutant read-invalid: reads are served in any state.
  if (ks.status !== VALID && ctx.mutant !== 'read-invalid') return false;
  const may = ctx.persistency.mayRead;
  return may === null || may(ks, ctx);
}

/**
 * P-PERSIST-DONE and what it may unblock: the completion (Synchronous waits for it),
 * then the model's own retries (the Read-Enforced PVAL, a scope end). Mutant synch-no-retry-after-persist forgets the completion retry,
 * so a write whose ACKs all came before its own persist never returns.
 */
export function persistAndReact(node: NodeState, ctx: Ctx, index: number): NodeState {
  const k = node.pending[index]!.key;
  let next = completePersist(node, ctx, index);
  if (ctx.mutant !== 'synch-no-retry-after-persist') next = tryComplete(next, ctx, k);
  const h = ctx.persistency.afterPersist;
  return h === null ? next : h(next, ctx, k);
}
