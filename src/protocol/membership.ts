/**
 * The membership rules (spec/cluster-model.md C-CRASH, C-RESTART, C-PROMOTE): what one
 * node does when the membership service installs a new view, one function per rule and
 * per side (the node the view is about, every other member). The cluster model applies
 * them to all members in one step; the runtime applies the same functions at each node
 * when the view reaches it, so the model checks the code that runs.
 */
import { dropStaleOwedAcks } from './persistency.ts';
import { tryScopeDone } from './persistency/scope.ts';
import {
  dropBuffer, onMemberAdmitted, onMemberCrashed, promotedNode, reselectBuddy, restartedNode, streamComplete, streamTo,
} from './recovery.ts';
import { reactToView } from './write-path.ts';
import type { RecoveryModel } from './recovery/model.ts';
import { PACK, SHADOW, type Ctx, type Msg, type NodeState } from './types.ts';

/**
 * C-CRASH at a live member: forget f (H-SEED-MU, or H-REFAIL when f failed again as a
 * shadow), then retry whatever the smaller view lets finish (writes, replays, scope ends).
 */
export function memberSawCrash(node: NodeState, ctx: Ctx, f: number, fWasShadow: boolean): NodeState {
  return tryScopeDone(reactToView(onMemberCrashed(node, ctx, f, fWasShadow), ctx), ctx);
}

/** H-BUDDY-RESELECT's guard: a shadow whose Buddy f left before the stream was complete. */
export function lostBuddy(node: NodeState, f: number): boolean {
  return node.role === SHADOW && node.rec !== null && node.rec.buddy === f && !streamComplete(node);
}

/** H-BUDDY-RESELECT: `holders` are the members holding a Missed_updates buffer for this node (H-BUDDY). */
export function chooseNewBuddy(node: NodeState, ctx: Ctx, holders: number): NodeState {
  return reselectBuddy(node, ctx, holders);
}

/**
 * C-RESTART at f itself (H-RESTART or F-RESTART, then H-JOIN). `node` is what the crash
 * left (the durable store); `ctx` is the new view, with f a member. The result is a
 * shadow with its Buddy chosen.
 */
export function rejoin(node: NodeState, ctx: Ctx, holders: number): NodeState {
  return restartedNode(node, ctx, holders);
}

/** C-RESTART at a live member: admit f as a shadow (H-JOIN freezes the buffer for f). */
export function memberSawRestart(node: NodeState, ctx: Ctx, f: number): NodeState {
  return reactToView(onMemberAdmitted(node, ctx, f), ctx);
}

/** H-MU-STREAM / F-COPY at the Buddy of shadow f, once it knows it is f's Buddy. */
export function startStream(node: NodeState, ctx: Ctx, f: number): NodeState {
  return streamTo(node, ctx, f);
}

/** C-PROMOTE at f (H-PROMOTE): f becomes a replica. */
export function promoteSelf(node: NodeState, ctx: Ctx): NodeState {
  return reactToView(dropStaleOwedAcks(promotedNode(node, ctx), ctx), ctx);
}

/** C-PROMOTE at a live member: the buffer kept for f is no longer needed. */
export function memberSawPromotion(node: NodeState, ctx: Ctx, f: number): NodeState {
  return reactToView(dropStaleOwedAcks(dropBuffer(node, f), ctx), ctx);
}

/**
 * F-PACK-VOID (finding F11): a FullCopy crash erases f's durable store, so a PACK f sent
 * before it vouches for nothing. A PACK carries its sender's incarnation and receivers
 * ignore one whose incarnation has ended; the model drops those in flight instead.
 * Mutant f11-pack-void-off keeps them.
 */
export function voidedByCrash(recovery: RecoveryModel, mutant: string | null, m: Msg, f: number): boolean {
  return !recovery.keepsDurable && mutant !== 'f11-pack-void-off' && m.type === PACK && m.from === f;
}

/**
 * H-TRACK-PP: Partially_persisted lists only feed H-SEED-MU at a failure, so once no
 * failure can follow (the model's crash budget is spent) they and the DURABLE notices
 * that maintain them are dead state. A running system always tracks them.
 */
export function tracksPartiallyPersisted(recovery: RecoveryModel, crashesLeft: number): boolean {
  return recovery.tracksPartiallyPersisted && crashesLeft > 0;
}
