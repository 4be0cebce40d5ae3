/**
 * The persist pipeline and the five persistency models (spec/persistency.md):
 * P-ISSUE, P-PERSIST-DONE, P-SYNCH-ACK, P-RENF-PACK/PVAL, P-SCOPE-*.
 */
import { bit, broadcast, others, replaceAt, send, withKey } from './node.ts';
import {
  ACK, DURABLE, OWED_ACK, OWED_PACK, OWED_SCOPE, PACK, PVAL, SCOPE_ACK, VALID,
  type Ctx, type NodeState, type Owed,
} from './types.ts';

/** P-ISSUE. The Eventual mutant skips it for followers (a lazy store that forgets to persist). */
export function issuePersist(node: NodeState, ctx: Ctx, k: number, ts: number, value: number): NodeState {
  const strict = ctx.persistency === 'strict';
  const seq = strict ? node.applySeq + 1 : 0;
  return {
    ...node,
    pending: [...node.pending, { key: k, ts, value, seq }],
    applySeq: strict ? seq : node.applySeq,
  };
}

export function durableCovers(node: NodeState, k: number, ts: number): boolean {
  return node.durable[k]!.ts >= ts;
}

/** Send `kind` for (k, ts) to `to` now if the durable store covers ts, else remember it (P-SYNCH-ACK, P-RENF-PACK, P-SCOPE-RCV). */
export function answerWhenDurable(node: NodeState, ctx: Ctx, kind: Owed['kind'], k: number, ts: number, to: number): NodeState {
  if (durableCovers(node, k, ts)) {
    sendOwed(ctx, { kind, key: k, ts, to, epoch: ctx.epoch });
    return node;
  }
  for (const o of node.owed) if (o.kind === kind && o.key === k && o.ts === ts && o.to === to && o.epoch === ctx.epoch) return node;
  return { ...node, owed: [...node.owed, { kind, key: k, ts, to, epoch: ctx.epoch }] };
}

function sendOwed(ctx: Ctx, o: Owed): void {
  const type = o.kind === OWED_ACK ? ACK : o.kind === OWED_PACK ? PACK : SCOPE_ACK;
  send(ctx, type, o.to, o.key, o.ts, 0, o.kind === OWED_ACK ? o.epoch : 0, 0);
}

export function flushOwed(node: NodeState, ctx: Ctx): NodeState {
  if (node.owed.length === 0) return node;
  let kept: Owed[] | null = null;
  for (let i = 0; i < node.owed.length; i++) {
    const o = node.owed[i]!;
    if (durableCovers(node, o.key, o.ts)) {
      sendOwed(ctx, o);
      kept ??= node.owed.slice(0, i);
    } else if (kept !== null) kept.push(o);
  }
  return kept === null ? node : { ...node, owed: kept };
}

/**
 * Owed ACKs of an older epoch can never count: a receiver drops an ACK of another epoch,
 * and epochs only grow. Dropped at every view change (crash, admission, promotion) so
 * they do not go out later as stale messages that only add states.
 */
export function dropStaleOwedAcks(node: NodeState, ctx: Ctx): NodeState {
  let stale = false;
  for (const o of node.owed) if (o.kind === OWED_ACK && o.epoch !== ctx.epoch) stale = true;
  if (!stale) return node;
  return { ...node, owed: node.owed.filter((o) => !(o.kind === OWED_ACK && o.epoch !== ctx.epoch)) };
}

/** Which pending persist may complete now (P-STRICT-FIFO: only the head under Strict). */
export function persistEnabled(_node: NodeState, ctx: Ctx, index: number): boolean {
  if (ctx.persistency !== 'strict') return true;
  // Mutant strict-persist-out-of-order: any pending persist may complete.
  return index === 0 || ctx.mutant === 'strict-persist-out-of-order';
}

/**
 * P-PERSIST-DONE: the durable store takes the entry unless it already holds a newer ts
 * for the key. Returns the node; the caller runs what the persist may unblock
 * (completion, PVAL, scope end): write-path.ts persistAndReact.
 */
export function completePersist(node: NodeState, ctx: Ctx, index: number): NodeState {
  const p = node.pending[index]!;
  const pending = node.pending.slice();
  pending.splice(index, 1);
  let durable = node.durable;
  // An equal ts is the same update (same value) applied again, by a replay or a stream.
  // Under Strict the store still takes it: its apply number (seq) is later, and
  // PERSIST-ORDER-STRICT must compare pending persists with the latest one completed.
  if (p.ts > durable[p.key]!.ts || (ctx.persistency === 'strict' && p.ts === durable[p.key]!.ts)) {
    durable = replaceAt(durable, p.key, { ts: p.ts, value: p.value, seq: p.seq });
  }
  let next: NodeState = { ...node, pending, durable };
  next = flushOwed(next, ctx);
  if (ctx.trackPP) next = confirmOwnDurable(next, ctx, p.key);
  return next;
}

/** H-DURABLE-NOTICE: mark self in its PP entry and tell the others where notices are the mechanism. */
function confirmOwnDurable(node: NodeState, ctx: Ctx, k: number): NodeState {
  const d = node.durable[k]!;
  const e = node.pp[k];
  let next = node;
  if (e && e.ts <= d.ts) next = ppConfirm(node, ctx, k, d.ts, bit(ctx.self));
  // Under Synchronous the ACK and under Read-Enforced the PACK/PVAL already carry this
  // information, so notices are only sent where nothing else does (see properties.md).
  if (ctx.persistency !== 'synch' && ctx.persistency !== 'renf') broadcast(ctx, DURABLE, k, d.ts, 0, 0, 0);
  return next;
}

/** Add `who` to the confirmation set of k's PP entry if ts covers it; drop it when every member confirmed. */
export function ppConfirm(node: NodeState, ctx: Ctx, k: number, ts: number, who: number): NodeState {
  const e = node.pp[k];
  if (!e || e.ts > ts) return node;
  const conf = e.conf | who;
  if ((ctx.members & ~conf) === 0) return { ...node, pp: replaceAt(node.pp, k, null) };
  if (conf === e.conf) return node;
  return { ...node, pp: replaceAt(node.pp, k, { ...e, conf }) };
}

/**
 * P-RENF-PVAL: coordinator of wts, own persist done, PACKs from every member the INV went
 * to (finding F10). Shadows included: a shadow counts in `others` for the write path, and
 * if the PVAL did not wait for it, the update would be confirmed durable at a shadow that
 * can still crash before persisting it, and no Missed_updates buffer would get it.
 * Members admitted after the write committed are not waited for (they never got the INV,
 * so no PACK would come): they get the update from their Buddy's stream and cannot be
 * promoted before persisting it (F7). The PVAL carries the nodes it knows hold the update
 * durably, and only those are confirmed in Partially_persisted lists.
 */
export function tryPval(node: NodeState, ctx: Ctx, k: number): NodeState {
  if (ctx.persistency !== 'renf') return node;
  const ks = node.keys[k]!;
  if (ks.status !== VALID || ks.dmark || ks.wts === 0 || ks.ts !== ks.wts) return node;
  if (!durableCovers(node, k, ks.wts)) return node;
  // Mutant f10-pval-replicas-only: the brief's PVAL waits for the replicas and vouches for every member.
  const f10 = ctx.mutant === 'f10-pval-replicas-only';
  const need = (f10 ? ctx.replicas : ks.acks & ctx.members) & ~bit(ctx.self);
  if ((ks.packs & need) !== need) return node;
  const durableAt = f10 ? ctx.members : (ks.packs & ctx.members) | bit(ctx.self);
  broadcast(ctx, PVAL, k, ks.ts, durableAt, 0, 0);
  let next = withKey(node, k, { ...ks, dmark: true });
  if (ctx.trackPP) next = ppConfirm(next, ctx, k, ks.ts, durableAt);
  return next;
}

export function onPack(node: NodeState, ctx: Ctx, from: number, k: number, ts: number): NodeState {
  const ks = node.keys[k]!;
  let next = node;
  if (ctx.trackPP) next = ppConfirm(next, ctx, k, ts, bit(from));
  if (ks.wts !== ts || ks.wts === 0) return next;
  next = withKey(next, k, { ...ks, packs: ks.packs | bit(from) });
  return tryPval(next, ctx, k);
}

/** P-RENF-RCV-PVAL. `durableAt`: the nodes the PVAL's sender knew to hold ts durably (F10). */
export function onPval(node: NodeState, ctx: Ctx, k: number, ts: number, durableAt: number): NodeState {
  const ks = node.keys[k]!;
  let next = node;
  if (ks.ts === ts && !ks.dmark) next = withKey(next, k, { ...ks, dmark: true });
  if (ctx.trackPP) next = ppConfirm(next, ctx, k, ts, durableAt & ctx.members);
  return next;
}

/** P-SCOPE-END: send PERSIST_SCOPE for every key written in the scope. */
export function startScopeEnd(node: NodeState, ctx: Ctx): NodeState {
  const waiting: number[] = [];
  for (let k = 0; k < ctx.keyCount; k++) {
    const ts = node.scopeTs[k]!;
    if (ts === 0) {
      waiting.push(0);
      continue;
    }
    waiting.push(others(ctx));
    broadcast(ctx, 6 /* PERSIST_SCOPE */, k, ts, 0, 0, 0);
  }
  const next: NodeState = { ...node, client: { kind: 1, key: 0, ts: 0, value: 0, waiting } };
  return tryScopeDone(next, ctx);
}

export function onPersistScope(node: NodeState, ctx: Ctx, from: number, k: number, ts: number): NodeState {
  return answerWhenDurable(node, ctx, OWED_SCOPE, k, ts, from);
}

/**
 * P-SCOPE-ACK. Only an answer to this scope end counts (finding F14): it names the ts the
 * PERSIST_SCOPE asked about, which is the client's latest write of k in this scope, so no
 * earlier scope end asked for it. A SCOPE_ACK of an earlier scope end (re-delivered, or
 * left in flight by a node that crashed and came back) would otherwise end this one while
 * its writes are not durable at the sender. Mutant scope-ack-unmatched: any SCOPE_ACK counts.
 */
export function onScopeAck(node: NodeState, ctx: Ctx, from: number, k: number, ts: number): NodeState {
  const c = node.client;
  if (c === null || c.kind !== 1) return node;
  if (ts !== node.scopeTs[k] && ctx.mutant !== 'scope-ack-unmatched') return node;
  const waiting = replaceAt(c.waiting, k, c.waiting[k]! & ~bit(from));
  return tryScopeDone({ ...node, client: { ...c, waiting } }, ctx);
}

/** P-SCOPE-DONE. Mutant scope-end-early: returns once the local copy is durable, without the members' answers. */
export function tryScopeDone(node: NodeState, ctx: Ctx): NodeState {
  const c = node.client;
  if (c === null || c.kind !== 1) return node;
  for (let k = 0; k < ctx.keyCount; k++) {
    if (ctx.mutant !== 'scope-end-early' && (c.waiting[k]! & ctx.members) !== 0) return node;
    if (!durableCovers(node, k, node.scopeTs[k]!)) return node;
  }
  ctx.out.replies.push({ f: 'scope-end', key: 0, value: 0, ts: 0 });
  return { ...node, client: null, scopeTs: node.scopeTs.map(() => 0) };
}
