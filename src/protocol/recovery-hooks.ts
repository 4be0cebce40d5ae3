/**
 * HEAL's Partially_persisted list, which the write path and the persistency models feed:
 * H-PP-ADD and H-PP-CONFIRM (spec/recovery.md). Live only while ctx.trackPP. H-MU-RECORD
 * is the recovery's own hook (recovery/heal.ts).
 */
import { replaceAt } from './node.ts';
import type { Ctx, NodeState } from './types.ts';

export function ppAdd(node: NodeState, ctx: Ctx, k: number, ts: number, value: number): NodeState {
  if (!ctx.trackPP) return node;
  return { ...node, pp: replaceAt(node.pp, k, { ts, value, conf: 0 }) };
}

/** H-PP-CONFIRM: add `who` to the confirmation set of k's PP entry if ts covers it; drop it when every member confirmed. */
export function ppConfirm(node: NodeState, ctx: Ctx, k: number, ts: number, who: number): NodeState {
  const e = node.pp[k];
  if (!e || e.ts > ts) return node;
  const conf = e.conf | who;
  if ((ctx.members & ~conf) === 0) return { ...node, pp: replaceAt(node.pp, k, null) };
  if (conf === e.conf) return node;
  return { ...node, pp: replaceAt(node.pp, k, { ...e, conf }) };
}
