/**
 * The second part of the default `heal check`: every combination again, searched to the
 * end, at the smallest bounds where duplicate delivery matters (2 nodes, 1 key, 2 writes,
 * 2 scope ends under Scope, no read, no crash, a message may be delivered again). F14
 * hid there: a SCOPE_ACK re-delivered after a second scope end at the same node. The
 * quick bounds have one write and no re-delivery, and walks at the wide bounds reached it
 * only after tens of thousands of tries; here it costs about 14,000 states for all ten.
 */
import type { ExploreFlags } from '../flags.ts';
import type { RunPlan } from '../models/index.ts';
import { describeBounds, type HealBounds } from '../../model/heal-bounds.ts';
import { modelEntry } from '../models/index.ts';
import { hasScopeEnds } from '../../src/protocol/persistency/index.ts';

export const REDELIVERY_BOUNDS: HealBounds = { nodes: 2, keys: 1, writes: 2, reads: 0, crashes: 0, scopes: 2 };

export const REDELIVERY_BOUNDS_TEXT = describeBounds(REDELIVERY_BOUNDS);

/** One run per exhaustive run: the same combination and mutant, at the redelivery bounds. */
export function redeliveryPlans(runs: readonly RunPlan[]): RunPlan[] {
  return runs.map((run) => {
    const base = run.config as Record<string, unknown>;
    const config = { ...base, ...REDELIVERY_BOUNDS, scopes: hasScopeEnds(run.persistency) ? REDELIVERY_BOUNDS.scopes : 0, duplicates: true };
    return { ...run, config, ref: modelEntry(run.model).refFor(config) };
  });
}

/** Complete searches like the exhaustive part's, without its checkpoints (each takes well under a second). */
export function redeliveryFlags(flags: ExploreFlags): ExploreFlags {
  const { checkpointDir: _dir, checkpointEveryMinutes: _every, ...rest } = flags;
  return rest;
}
