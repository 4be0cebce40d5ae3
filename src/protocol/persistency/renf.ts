/**
 * Read-Enforced (spec/persistency.md "Read-Enforced"): followers PACK an update once it
 * is durable (P-RENF-PACK), the coordinator then marks it durable everywhere with a PVAL
 * (P-RENF-PVAL), and a read needs that mark. Guarantee: READ-DURABLE-RENF.
 */
import { bit, broadcast, isMember, withKey } from '../node.ts';
import { answerWhenDurable, durableCovers } from '../persistency.ts';
import { ppConfirm } from '../recovery-hooks.ts';
import { tryComplete } from '../write-path.ts';
import { INV, OWED_PACK, PACK, PVAL, REPLAY, REPLICA, VALID, type Ctx, type NodeState } from '../types.ts';
import { BASE_MODEL, ackNow, type PersistencyModel } from './model.ts';

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
  const ks = node.keys[k]!;
  if (ks.status !== VALID || ks.dmark || ks.wts === 0 || ks.ts !== ks.wts) return node;
  if (!durableCovers(node, k, ks.wts)) return node;
  // Mutant f10-pval-replicas-only: the brief's PVAL waits for the replicas and vouches for every member.
  const f10 = ctx.mutant === 'f10-pval-replicas-only';
  const need = (f10 ? ctx.replicas : ks.acks & ctx.members) & ~bit(ctx.self);
  if ((ks.packs & need) !== need) return node;
  const durableAt = f10 ? ctx.members : (ks.packs & ctx.members) | bit(ctx.self);
  broadcast(ctx, PVAL, k, ks.ts, { durableAt });
  let next = withKey(node, k, { ...ks, dmark: true });
  if (ctx.trackPP) next = ppConfirm(next, ctx, k, ks.ts, durableAt);
  return next;
}

/**
 * P-RENF-REMARK (finding F15): a replica holding k Valid without the durable mark, where
 * no PVAL will come, replays it (same ts and value): the replay's PACKs and PVAL mark it
 * durable everywhere, as for a write. Without it the key is never readable at that node
 * until written again, and at quiescence a replica would not answer a read (CONVERGE).
 * No PVAL comes when the writer is gone (a crash orphaned it), and may not come for what
 * a promoted node took from its stream: the PVAL can have reached the shadow before the
 * MU entry did, and is then dropped. `promoted`: the node was just promoted.
 * Mutant f15-renf-no-remark: the brief's rules, nothing is replayed.
 */
function remark(node: NodeState, ctx: Ctx, k: number, promoted: boolean): NodeState {
  const ks = node.keys[k]!;
  if (node.role !== REPLICA || ks.status !== VALID || ks.dmark || ks.ts === 0) return node;
  if (!promoted && (ks.lastWriter === ctx.self || isMember(ctx, ks.lastWriter))) return node;
  if (ctx.mutant === 'f15-renf-no-remark') return node;
  broadcast(ctx, INV, k, ks.ts, { value: ks.value, epoch: ctx.epoch });
  const next = withKey(node, k, {
    ...ks, status: REPLAY, lastWriter: ctx.self, wts: ks.ts, wval: ks.value, acks: 0, packs: 0, wepoch: ctx.epoch, committed: false,
  });
  // With no other member to wait for, the replay completes at once.
  return tryComplete(next, ctx, k);
}

/** P-RENF-RCV-PACK. */
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
  // A node that coordinated ts (a write or a replay) takes no other node's PVAL for it
  // (finding F15; as a replayer takes no VAL, F3): members that got ts only from its INV
  // wait for its own PVAL, which tryPval sends only while it lacks the mark.
  if (ks.ts === ts && !ks.dmark && (ks.wts !== ts || ctx.mutant === 'f15-renf-no-remark')) next = withKey(next, k, { ...ks, dmark: true });
  if (ctx.trackPP) next = ppConfirm(next, ctx, k, ts, durableAt & ctx.members);
  return next;
}

export const renf: PersistencyModel & { readonly name: 'renf' } = {
  ...BASE_MODEL,
  name: 'renf',
  title: 'Read-Enforced',
  guarantee: 'READ-DURABLE-RENF',
  answerInv(node, ctx, from, k, ts) {
    ackNow(ctx, from, k, ts);
    return answerWhenDurable(node, ctx, OWED_PACK, k, ts, from);
  },
  onCommit: (node, ctx, k) => tryPval(node, ctx, k),
  // Mutant renf-read-non-durable: ignores the durable mark.
  mayRead: (ks, ctx) => ks.dmark || ctx.mutant === 'renf-read-non-durable',
  // The PACK and the PVAL already say where the update is durable.
  durableNotices: false,
  afterPersist: tryPval,
  afterViewChange: (node, ctx, k) => remark(tryPval(node, ctx, k), ctx, k, false),
  afterPromotion: (node, ctx, k) => remark(node, ctx, k, true),
  messages: [PACK, PVAL],
  onMessage: (node, ctx, m) => (m.type === PACK ? onPack(node, ctx, m.from, m.key, m.ts) : onPval(node, ctx, m.key, m.ts, m.durableAt)),
};
