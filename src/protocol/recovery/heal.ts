/**
 * HEAL (spec/recovery.md): a restarted node reuses its durable store (H-RESTART), live
 * members keep a Missed_updates buffer per failed node, seeded from their
 * Partially_persisted lists (H-SEED-MU) and fed by every update (H-MU-RECORD), frozen at
 * admission (H-FREEZE) and streamed by the Buddy (H-MU-STREAM).
 */
import { bit, buddyOf, replaceAt, send } from '../node.ts';
import { ppConfirm } from '../recovery-hooks.ts';
import { MU, VALID, type Ctx, type MUBuffer, type MUEntry, type NodeState } from '../types.ts';
import { fullCopyEntries } from './fullcopy.ts';
import type { RecoveryModel } from './model.ts';

/** H-SEED-MU and H-REFAIL at a live member when f fails. */
function onFailure(node: NodeState, ctx: Ctx, f: number, fWasShadow: boolean, before: NodeState): NodeState {
  const fb = ~bit(f);
  let next = node;
  // Entries confirmed only because f confirmed them must not count f any more.
  if (ctx.trackPP) {
    next = { ...next, pp: next.pp.map((e) => (e === null ? null : { ...e, conf: e.conf & fb })) };
    for (let k = 0; k < ctx.keyCount; k++) next = ppConfirm(next, ctx, k, next.pp[k]?.ts ?? 0, 0);
  }
  // A shadow that fails again (H-REFAIL) still lacks what it missed since it last failed
  // as a replica. Only a member up since then has a buffer that covers it; one that
  // joined later cannot seed a complete one from its Partially_persisted list, so it
  // starts none and cannot be the Buddy (H-BUDDY, finding F12).
  // Mutant f12-refail-seeds-buffer: the old H-REFAIL seeds one at every member.
  if (!fWasShadow || before.mu[f] !== null || ctx.mutant === 'f12-refail-seeds-buffer') next = seedBuffer(next, ctx, f, before.pp);
  return next;
}

function seedBuffer(node: NodeState, ctx: Ctx, f: number, ppBefore: NodeState['pp']): NodeState {
  const old = node.mu[f];
  const entries: (MUEntry | null)[] = old ? old.entries.slice() : node.keys.map(() => null);
  // Mutant no-pp-seed: the buffer starts empty; only later updates go in.
  if (ctx.mutant !== 'no-pp-seed') {
    for (let k = 0; k < ctx.keyCount; k++) {
      const e = ppBefore[k];
      if (!e || (e.conf & bit(f)) !== 0) continue;
      const cur = entries[k];
      if (cur && cur.ts >= e.ts) continue;
      const ks = node.keys[k]!;
      entries[k] = { ts: e.ts, value: e.value, valid: ks.status === VALID && ks.ts === e.ts };
    }
  }
  return { ...node, mu: replaceAt(node.mu, f, { frozen: false, entries }) };
}

/** H-FREEZE at a live member when f is admitted. */
function onAdmission(node: NodeState, ctx: Ctx, f: number): NodeState {
  // A member without a buffer for f was not up when f crashed (it restarted since): it
  // gets none, so that holding one means having seen every update f missed (H-BUDDY, F12).
  // Mutant f12-freeze-creates-buffer: the old H-FREEZE gives such a member an empty one.
  const buf = node.mu[f] ?? (ctx.mutant === 'f12-freeze-creates-buffer' ? { frozen: false, entries: node.keys.map(() => null) } : null);
  if (!buf) return node;
  // Mutant no-freeze: the buffer keeps collecting while f is a shadow.
  const frozen = ctx.mutant !== 'no-freeze';
  return { ...node, mu: replaceAt(node.mu, f, { ...buf, frozen }) };
}

/**
 * H-MU-STREAM: the frozen buffer. A Buddy without a buffer for f (every member that held
 * one has crashed since f did, H-BUDDY) cannot know what f missed: it sends a full copy,
 * as FullCopy does (F12).
 */
function streamEntries(node: NodeState, ctx: Ctx, f: number): readonly (MUEntry | null)[] {
  const buffer = node.mu[f];
  if (buffer) return buffer.entries;
  // Mutant f12-buddy-first-replica: the brief's Buddy had a buffer, empty if it joined after f failed.
  return ctx.mutant === 'f12-buddy-first-replica' ? [] : fullCopyEntries(node);
}

/** H-MU-RECORD: latest per key into every unfrozen buffer; the same ts only refreshes `valid`. */
function record(node: NodeState, ctx: Ctx, k: number, ts: number, value: number, valid: boolean): NodeState {
  let mu: (MUBuffer | null)[] | null = null;
  for (let f = 0; f < node.mu.length; f++) {
    const buf = node.mu[f];
    if (buf === null) continue;
    // Mutant no-freeze: the buffer is never frozen, so it keeps collecting while f is a shadow.
    if (buf.frozen) continue;
    const cur = buf.entries[k];
    if (cur !== null && cur !== undefined && cur.ts > ts) continue;
    if (cur !== null && cur !== undefined && cur.ts === ts && cur.valid === valid) continue;
    mu ??= node.mu.slice();
    mu[f] = { frozen: false, entries: replaceAt(buf.entries, k, { ts, value, valid }) };
    // With an unfrozen buffer, a Buddy that is streaming it to a shadow keeps streaming
    // whatever lands in it: that is what the frozen buffer prevents.
    if (ctx.mutant === 'no-freeze' && (ctx.members & bit(f)) !== 0 && buddyOf(f, ctx.nodes, ctx.replicas) === ctx.self) {
      let entries = 0;
      for (const e of mu[f]!.entries) if (e) entries++;
      send(ctx, MU, f, k, ts, { value, count: entries, valid });
    }
  }
  return mu === null ? node : { ...node, mu };
}

export const heal: RecoveryModel & { readonly name: 'heal' } = {
  name: 'heal',
  title: 'HEAL',
  keepsDurable: true,
  tracksPartiallyPersisted: true,
  restartState(node, ctx, fresh) {
    // Deviation (properties.md, finding F9): the reloaded durable updates enter the
    // Partially_persisted list. f cannot know they are durable everywhere, and if f later
    // serves as a Buddy they must reach its buffers, or a node that failed before
    // persisting them would recover without them.
    const pp = ctx.trackPP && ctx.mutant !== 'f9-no-reload-pp'
      ? node.durable.map((d) => (d.ts === 0 ? null : { ts: d.ts, value: d.value, conf: bit(ctx.self) }))
      : fresh.pp;
    return { durable: node.durable, pp };
  },
  onFailure,
  onAdmission,
  streamEntries,
  record,
};
