/**
 * The shape of a HEAL cluster action as a trace stores it (src/cluster/actions.ts), so a
 * hand-edited or corrupt trace is bad input naming the field, not a replay that "no
 * longer reproduces". Bounds come from the trace's own configuration.
 */
import * as z from 'zod';
import type { ClusterConfig } from '../src/cluster/state.ts';

function healActionSchema(c: Pick<ClusterConfig, 'nodes' | 'keys'>) {
  const node = z.number().int().min(0).max(c.nodes - 1);
  const key = z.number().int().min(0).max(c.keys - 1);
  const n = z.number().int().min(0);
  const msg = z.object({
    type: z.number().int().min(0).max(10), from: node, to: node, key, ts: n, value: n, epoch: n,
    durableAt: n, count: n, valid: z.boolean(),
  }).strict();
  return z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('write'), node, key }).strict(),
    z.object({ kind: z.literal('read'), node, key }).strict(),
    z.object({ kind: z.literal('scope-end'), node }).strict(),
    z.object({ kind: z.literal('deliver'), msg }).strict(),
    z.object({ kind: z.literal('persist'), node, key, ts: n }).strict(),
    z.object({ kind: z.literal('crash'), node }).strict(),
    z.object({ kind: z.literal('restart'), node }).strict(),
    z.object({ kind: z.literal('promote'), node }).strict(),
  ]);
}

/** null when `raw` is an action of this configuration; else what is wrong, with its path. */
export function checkHealAction(c: Pick<ClusterConfig, 'nodes' | 'keys'>, raw: unknown): string | null {
  const parsed = healActionSchema(c).safeParse(raw);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return `${path === '' ? '' : `'${path}': `}${issue.message}`;
}
