/**
 * The recovery rules HEAL and the FullCopy baseline share (spec/recovery.md): the restart
 * and admission skeletons (H-RESTART / F-RESTART, H-JOIN, START_ACK), the stream
 * (H-MU-STREAM / F-COPY) and its receipt (H-RCV-MU, H-RCV-MU-END, H-RCV-START-ACK),
 * H-BUDDY-RESELECT, H-PROMOTE, H-RCV-DURABLE. Where the two differ, the rule calls the
 * recovery's hook (ctx.recovery, recovery/heal.ts and recovery/fullcopy.ts).
 */
import { ORPHANED, bit, broadcast, buddyOf, initialKey, replaceAt, send, withKey } from './node.ts';
import { applied, replayMark } from './write-path.ts';
import { NO_KEYS, hasKey, keysIn, withKeyAdded } from './key-set.ts';
import { dropStaleOwedAcks } from './persistency.ts';
import { ppConfirm } from './recovery-hooks.ts';
import { makeTs } from './timestamp.ts';
import {
  INV, INVALID, MU, MU_END, OWED_ACK, REPLAY, SHADOW, VALID, CLIENT_SCOPE, DOWN, REPLICA, type Ctx, type KeyState, type MUBuffer, type NodeState,
} from './types.ts';
import type { MutantName } from '../mutants.ts';

export function emptyNode(ctx: { nodes: number; keyCount: number }, incarnation: number): NodeState {
  const keys: KeyState[] = [];
  for (let k = 0; k < ctx.keyCount; k++) keys.push(initialKey());
  return {
    role: REPLICA,
    incarnation,
    keys,
    durable: keys.map(() => ({ ts: 0, value: 0, seq: 0 })),
    pending: [],
    owed: [],
    pp: keys.map(() => null),
    mu: Array.from({ length: ctx.nodes }, () => null),
    rec: null,
    client: null,
    scopeTs: keys.map(() => 0),
    applySeq: 0,
  };
}

/** Volatile state is gone; only the durable store (and ghost apply counter) survive. */
export function crashedNode(node: NodeState, ctx: { nodes: number; keyCount: number }): NodeState {
  const fresh = emptyNode(ctx, node.incarnation);
  return { ...fresh, role: DOWN, durable: node.durable, applySeq: node.applySeq };
}

/**
 * H-RESTART (failed-durable state reuse) or F-RESTART (drop everything), followed by
 * H-JOIN at f itself: every key Invalid until an MU entry, an INV or promotion settles it.
 * lastWriter is f itself so that no replay of a stale durable value starts before the
 * transfer says whether it is current.
 */
export function restartedNode(node: NodeState, ctx: Ctx, holders: number): NodeState {
  const fresh = emptyNode(ctx, node.incarnation + 1);
  const { durable, pp } = ctx.recovery.restartState(node, ctx, fresh);
  const keys = durable.map((d) => ({ ...initialKey(), value: d.value, ts: d.ts, status: INVALID, lastWriter: ctx.self, dmark: d.ts === 0, committed: false }) as KeyState);
  return {
    ...fresh,
    role: SHADOW,
    keys,
    durable,
    pp,
    applySeq: node.applySeq,
    rec: {
      // Mutant f12-buddy-first-replica: the brief's Buddy, the first replica after f.
      buddy: buddyOf(ctx.self, ctx.nodes, ctx.replicas, ctx.mutant === 'f12-buddy-first-replica' ? ctx.replicas : holders),
      // START_ACKs are delivered within the admission step (properties.md, reduction RED-START-ACK).
      startWait: 0,
      muKeys: NO_KEYS,
      muEnd: -1,
      touched: NO_KEYS,
    },
  };
}

/** Failure of f at a live member n: forget f everywhere, and H-SEED-MU / H-REFAIL. */
export function onMemberCrashed(node: NodeState, ctx: Ctx, f: number, fWasShadow = false): NodeState {
  const fb = ~bit(f);
  let next: NodeState = node;
  const keys = node.keys.map((ks) =>
    (ks.acks & bit(f)) !== 0 || (ks.packs & bit(f)) !== 0 || ks.lastWriter === f
      ? { ...ks, acks: ks.acks & fb, packs: ks.packs & fb, lastWriter: ks.lastWriter === f && ctx.mutant !== 'f4-writer-not-orphaned' ? ORPHANED : ks.lastWriter }
      : ks,
  );
  // ACKs owed for an older epoch are useless: their coordinator replays in the new epoch if it still needs them.
  const owed = node.owed.filter((o) => o.to !== f && !(o.kind === OWED_ACK && o.epoch !== ctx.epoch));
  next = { ...next, keys, owed };
  if (next.client !== null && next.client.kind === CLIENT_SCOPE) {
    next = { ...next, client: { ...next.client, waiting: next.client.waiting.map((w) => w & fb) } };
  }
  if (next.rec !== null) next = { ...next, rec: { ...next.rec, startWait: next.rec.startWait & fb } };
  return ctx.recovery.onFailure(next, ctx, f, fWasShadow, node);
}

/** H-JOIN at a live member n ≠ f: H-FREEZE and START_ACK. The Buddy's stream is streamTo. */
export function onMemberAdmitted(node: NodeState, ctx: Ctx, f: number): NodeState {
  return ctx.recovery.onAdmission(dropStaleOwedAcks(node, ctx), ctx, f);
}

/** H-MU-STREAM (HEAL: the frozen buffer) or F-COPY (FullCopy: every key of the store). */
export function streamTo(node: NodeState, ctx: Ctx, f: number): NodeState {
  let count = 0;
  const entries = ctx.recovery.streamEntries(node, ctx, f);
  // Mutant buddy-skips-mu: the Buddy announces an empty stream.
  if (ctx.mutant !== 'buddy-skips-mu') for (const e of entries) if (e) count++;
  // Every MU carries the stream's entry count, so a separate MU_END is only needed for
  // an empty stream (properties.md, reduction RED-MU-COUNT).
  if (count > 0) {
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k];
      if (!e) continue;
      send(ctx, MU, f, k, e.ts, { value: e.value, count, valid: e.valid });
      // Mutant mu-stream-resend: every entry goes out twice (a retransmission the shadow did not need).
      if (ctx.mutant === 'mu-stream-resend') send(ctx, MU, f, k, e.ts, { value: e.value, count, valid: e.valid });
    }
  } else if (ctx.mutant !== 'buddy-no-empty-mu-end') {
    // Mutant buddy-no-empty-mu-end: an empty stream is never closed.
    send(ctx, MU_END, f, 0, 0, { count: 0 });
  }
  return node;
}

/**
 * H-RCV-MU / F-RCV-COPY. Deviation (properties.md, finding F2): an entry that was not
 * Valid at the Buddy is replayed by f at once. Its VAL may have been sent before f was
 * admitted (the buffer was frozen while the write was still uncommitted) and its
 * coordinator, alive and done, will not replay it: without this f would stay Invalid.
 */
export function onMu(node: NodeState, ctx: Ctx, from: number, k: number, ts: number, value: number, valid: boolean, count: number): NodeState {
  // Only a shadow takes MU entries (finding F13). One that arrives after promotion is left
  // over from a stream abandoned when its Buddy crashed (H-BUDDY-RESELECT); the stream
  // that completed and the INVs since admission already gave the node everything, and
  // applying it could take over a key in the middle of the node's own write.
  // Mutant f13-mu-at-replica: a promoted node still applies it.
  if (node.rec === null && ctx.mutant !== 'f13-mu-at-replica') return node;
  let next = node;
  const ks = node.keys[k]!;
  // Mutant mu-no-ts-compare: the entry overwrites whatever f holds.
  if (ts > ks.ts || (ctx.mutant === 'mu-no-ts-compare' && ts !== ks.ts)) {
    // Mutant f2-mu-invalid-waits: the brief's rule, an entry that was not Valid leaves f
    // Invalid, waiting for a VAL from the Buddy.
    const replay = !valid && ctx.mutant !== 'f2-mu-invalid-waits';
    next = withKey(next, k, {
      ...ks, value, ts, status: valid ? VALID : replay ? REPLAY : INVALID, lastWriter: replay ? ctx.self : from, dmark: false,
      wts: replay ? ts : 0, wval: replay ? value : 0, acks: 0, packs: 0, wepoch: ctx.epoch, committed: false,
    });
    next = applied(next, ctx, k, ts, value, valid, true);
    if (replay) broadcast(ctx, INV, k, ts, { value, epoch: ctx.epoch });
    if (next.rec !== null) next = { ...next, rec: { ...next.rec, touched: withKeyAdded(next.rec.touched, k) } };
  }
  else if (ts === ks.ts && valid && ks.status === INVALID) {
    // The entry says this very ts is committed: the VAL f is waiting for may predate its admission.
    next = withKey(next, k, { ...ks, status: VALID });
  }
  if (next.rec !== null && from === next.rec.buddy) next = { ...next, rec: { ...next.rec, muKeys: withKeyAdded(next.rec.muKeys, k), muEnd: count } };
  return next;
}

export function onMuEnd(node: NodeState, from: number, count: number): NodeState {
  if (node.rec === null || from !== node.rec.buddy) return node;
  return { ...node, rec: { ...node.rec, muEnd: count } };
}

/**
 * H-RCV-START-ACK. Never reached in the model: no START_ACK is ever sent, because every
 * member's reaction to the view change happens in the admission step itself, which starts
 * startWait at 0 (reduction RED-START-ACK, spec/cluster-model.md, reduction 7). Kept as
 * the spec's handler for a run that does send START_ACKs, e.g. a runtime's.
 */
export function onStartAck(node: NodeState, from: number): NodeState {
  if (node.rec === null) return node;
  return { ...node, rec: { ...node.rec, startWait: node.rec.startWait & ~bit(from) } };
}

/** H-RCV-DURABLE. */
export function onDurable(node: NodeState, ctx: Ctx, from: number, k: number, ts: number): NodeState {
  if ((ctx.members & bit(from)) === 0) return node;
  return ppConfirm(node, ctx, k, ts, bit(from));
}

export function streamComplete(node: NodeState): boolean {
  const r = node.rec;
  return r !== null && r.muEnd >= 0 && keysIn(r.muKeys) >= r.muEnd;
}

/**
 * H-PROMOTE's guard. Deviation (properties.md): f's persist pipeline must also be empty,
 * so that what f learned as a shadow is in its durable store before the others drop
 * their buffers for it.
 */
export function canPromote(node: NodeState, ctx: { mutant: MutantName | null }): boolean {
  const r = node.rec;
  if (node.role !== SHADOW || r === null || r.startWait !== 0) return false;
  // Mutant promote-before-mu-end: promotion does not wait for the transfer.
  if (ctx.mutant === 'promote-before-mu-end') return true;
  // Mutant f7-promote-pending-persist: the brief's guard, without the empty pipeline.
  return streamComplete(node) && (node.pending.length === 0 || ctx.mutant === 'f7-promote-pending-persist');
}

/**
 * H-PROMOTE at f. An untouched key at its initial ts becomes Valid. Deviation
 * (properties.md, finding F1): an untouched key with a durable update is replayed
 * instead, because f may have persisted a write that no live node holds (its INVs were
 * lost with f's crash); declaring it Valid would disagree with the other replicas.
 */
export function promotedNode(node: NodeState, ctx: Ctx): NodeState {
  const touched = node.rec?.touched ?? NO_KEYS;
  // One copy of the keys for the whole step, not one per key: a node with many untouched
  // keys (every key of a preloaded store after a short downtime) made promotion quadratic
  // in the store's size (finding R4: 0.3 s at 10,000 keys, seconds at 30,000).
  let keys: KeyState[] | null = null;
  for (let k = 0; k < ctx.keyCount; k++) {
    const ks = node.keys[k]!;
    if (hasKey(touched, k) || ks.status !== INVALID) continue;
    keys ??= node.keys.slice();
    // Mutant f1-promote-untouched-valid: the brief's rule, a durable value counts as current.
    if (ks.ts === 0 || ctx.mutant === 'f1-promote-untouched-valid') {
      keys[k] = { ...ks, status: VALID, lastWriter: ctx.self };
      continue;
    }
    keys[k] = {
      ...ks, status: REPLAY, lastWriter: ctx.self, wts: ks.ts, wval: ks.value, acks: 0, packs: 0, wepoch: ctx.epoch, dmark: replayMark(ks, ctx),
    };
    broadcast(ctx, INV, k, ks.ts, { value: ks.value, epoch: ctx.epoch });
  }
  let next: NodeState = { ...node, role: REPLICA, rec: null, keys: keys ?? node.keys };
  const h = ctx.persistency.afterPromotion;
  if (h !== null) for (let k = 0; k < ctx.keyCount; k++) next = h(next, ctx, k);
  return next;
}

/** H-BUDDY-RESELECT at shadow f whose Buddy left before the stream was complete. */
export function reselectBuddy(node: NodeState, ctx: Ctx, holders: number): NodeState {
  if (node.rec === null) return node;
  const h = ctx.mutant === 'f12-buddy-first-replica' ? ctx.replicas : holders;
  return { ...node, rec: { ...node.rec, buddy: buddyOf(ctx.self, ctx.nodes, ctx.replicas, h), muKeys: NO_KEYS, muEnd: -1 } };
}

export function dropBuffer(node: NodeState, f: number): NodeState {
  if (node.mu[f] === null) return node;
  return { ...node, mu: replaceAt(node.mu, f, null as MUBuffer | null) };
}

export { makeTs };
