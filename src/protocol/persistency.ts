/**
 * The persist pipeline every persistency model shares (spec/persistency.md): P-ISSUE,
 * P-PERSIST-DONE, the owed answers (P-ANSWER, P-FLUSH-OWED). The models themselves, and
 * what they change, are in persistency/.
 */
import { bit, broadcast, replaceAt, send } from './node.ts';
import { ppConfirm } from './recovery-hooks.ts';
import { ACK, DURABLE, OWED_ACK, OWED_PACK, PACK, SCOPE_ACK, type Ctx, type NodeState, type Owed } from './types.ts';

/** P-ISSUE. The Eventual mutant skips it for followers (a lazy store that forgets to persist). */
export function issuePersist(node: NodeState, ctx: Ctx, k: number, ts: number, value: number): NodeState {
  const numbered = ctx.persistency.numbersPersists;
  const seq = numbered ? node.applySeq + 1 : 0;
  return {
    ...node,
    pending: [...node.pending, { key: k, ts, value, seq }],
    applySeq: numbered ? seq : node.applySeq,
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
  send(ctx, type, o.to, o.key, o.ts, o.kind === OWED_ACK ? { epoch: o.epoch } : undefined);
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

/**
 * P-PERSIST-DONE: the durable store takes the entry unless it already holds a newer ts
 * for the key. Returns the node; the caller runs the model reactions (completion,
 * PVAL, scope) through persistAndReact (write-path.ts).
 */
export function completePersist(node: NodeState, ctx: Ctx, index: number): NodeState {
  const p = node.pending[index]!;
  const pending = node.pending.slice();
  pending.splice(index, 1);
  let durable = node.durable;
  // An equal ts is the same update (same value) applied again, by a replay or a stream.
  // Under Strict the store still takes it: its apply number (seq) is later, and
  // PERSIST-ORDER-STRICT must compare pending persists with the latest one completed.
  if (p.ts > durable[p.key]!.ts || (ctx.persistency.numbersPersists && p.ts === durable[p.key]!.ts)) {
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
  if (ctx.persistency.durableNotices) broadcast(ctx, DURABLE, k, d.ts);
  return next;
}
