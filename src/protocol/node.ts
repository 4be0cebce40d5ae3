/**
 * Small immutable-update helpers shared by the rule files. Every rule returns a new
 * NodeState and never mutates its argument, so a cluster state can share unchanged
 * parts with its predecessor.
 */
import type { Ctx, KeyState, MsgFields, MsgType, NodeState } from './types.ts';

export function bit(n: number): number {
  return 1 << n;
}

export function popcount(x: number): number {
  let c = 0;
  while (x !== 0) {
    x &= x - 1;
    c++;
  }
  return c;
}

/** others(n): replicas and shadows of the view except n itself. */
export function others(ctx: Ctx): number {
  return ctx.members & ~bit(ctx.self);
}

export function isMember(ctx: Ctx, n: number): boolean {
  return (ctx.members & bit(n)) !== 0;
}

export function withKey(node: NodeState, k: number, ks: KeyState): NodeState {
  return { ...node, keys: replaceAt(node.keys, k, ks) };
}

export function replaceAt<T>(list: readonly T[], i: number, v: T): T[] {
  const copy = list.slice();
  copy[i] = v;
  return copy;
}

/** Sends one message; `fields` holds what its kind carries (spec/messages.md). */
export function send(ctx: Ctx, type: MsgType, to: number, key: number, ts: number, fields: MsgFields = NONE): void {
  ctx.out.sends.push({
    type, from: ctx.self, to, key, ts,
    value: fields.value ?? 0, epoch: fields.epoch ?? 0, durableAt: fields.durableAt ?? 0, count: fields.count ?? 0, valid: fields.valid ?? false,
  });
}

const NONE: MsgFields = {};

export function broadcast(ctx: Ctx, type: MsgType, key: number, ts: number, fields: MsgFields = NONE): void {
  const to = others(ctx);
  for (let n = 0; n < ctx.nodes; n++) if ((to & bit(n)) !== 0) send(ctx, type, n, key, ts, fields);
}

/**
 * H-BUDDY (spec/recovery.md): the first replica after f in ring order that holds a Missed_updates buffer for f
 * (`holders`: it has been a member since f crashed; finding F12), else the first replica,
 * which then streams a full copy (H-MU-STREAM). -1 if no replica.
 */
export function buddyOf(f: number, nodes: number, replicas: number, holders: number = replicas): number {
  let fallback = -1;
  for (let i = 1; i < nodes; i++) {
    const b = (f + i) % nodes;
    if ((replicas & bit(b)) === 0) continue;
    if ((holders & bit(b)) !== 0) return b;
    if (fallback < 0) fallback = b;
  }
  return fallback;
}

/**
 * lastWriter of a key whose writer crashed. The writer may rejoin as a new incarnation
 * that knows nothing of the write, so "its lastWriter is not a member" must stay true.
 */
export const ORPHANED = 15;

export function initialKey(): KeyState {
  return { value: 0, ts: 0, status: 0, lastWriter: 0, wts: 0, wval: 0, acks: 0, wepoch: 0, packs: 0, dmark: true, committed: false };
}
