/**
 * HEAL bookkeeping that runs whenever a node applies or validates an update:
 * H-PP-ADD and H-MU-RECORD (spec/recovery.md). Kept apart from the rest of recovery
 * because the write path calls it on every applied update.
 */
import { bit, buddyOf, replaceAt, send } from './node.ts';
import { MU, type Ctx, type MUBuffer, type NodeState } from './types.ts';

export function ppAdd(node: NodeState, ctx: Ctx, k: number, ts: number, value: number): NodeState {
  if (!ctx.trackPP) return node;
  return { ...node, pp: replaceAt(node.pp, k, { ts, value, conf: 0 }) };
}

/** H-MU-RECORD: latest per key into every unfrozen buffer; the same ts only refreshes `valid`. */
export function muRecord(node: NodeState, ctx: Ctx, k: number, ts: number, value: number, valid: boolean): NodeState {
  if (ctx.recovery !== 'heal') return node;
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
      send(ctx, MU, f, k, ts, value, entries, valid ? 1 : 0);
    }
  }
  return mu === null ? node : { ...node, mu };
}
