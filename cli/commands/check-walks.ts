/**
 * The second half of the default `heal check`: after the exhaustive runs at the quick
 * bounds, seeded random walks at the wide bounds (a fourth node, a second key, a second
 * crash: where F12 and F13 hid) share a fixed time budget. They cover no state space, so
 * they are reported apart and never turn a complete exhaustive verdict into 'incomplete';
 * a violation they find is a violation like any other, saved and shrunk.
 */
import type { RunPlan } from '../models/index.ts';
import { BOUND_PROFILES, WALK_PROFILE, describeBounds } from '../../model/heal-bounds.ts';
import { modelEntry } from '../models/index.ts';
import type { ExploreFlags } from '../flags.ts';
import { hasScopeEnds } from '../../src/protocol/persistency/index.ts';

/**
 * Walks per combination in a plain `heal check`: a count, not a time, so that the verdict
 * does not depend on the machine's speed (2-3 s per combination on one idle core).
 * A time cap still bounds the phase on a slow machine; reaching it is reported.
 */
export const DEFAULT_WIDE_WALKS = 3000;
const WALK_TIME_CAP_SECONDS = 90;

/** The flags that narrow or redirect the exhaustive part: with any of them the walks are opt-in. */
const NARROWING_FLAGS = [
  'model', 'persistency', 'recovery', 'nodes', 'keys', 'writes', 'reads', 'scopes', 'crashes', 'duplicates',
  'bounds', 'mutant', 'strategy', 'max-states', 'max-depth', 'time-limit', 'symmetry',
];

/** A plain `heal check`: nothing narrows it, so the redelivery runs and the walks follow the exhaustive part. */
export function isPlainCheck(given: ReadonlySet<string>): boolean {
  return !NARROWING_FLAGS.some((f) => given.has(f));
}

export function defaultWideWalks(given: ReadonlySet<string>): number {
  return isPlainCheck(given) ? DEFAULT_WIDE_WALKS : 0;
}

export const WALK_BOUNDS_TEXT = describeBounds(BOUND_PROFILES[WALK_PROFILE]);

/** One walk run per exhaustive run: the same combination, mutant and duplicates, at the wide bounds. */
export function walkPlans(runs: readonly RunPlan[]): RunPlan[] {
  const wide = BOUND_PROFILES[WALK_PROFILE];
  return runs.map((run) => {
    const base = run.config as Record<string, unknown>;
    const config = { ...base, ...wide, scopes: hasScopeEnds(run.persistency) ? wide.scopes : 0 };
    return { ...run, config, ref: modelEntry(run.model).refFor(config) };
  });
}

/**
 * Each walk run gets an equal share of the budget; walks go to the end of a run or 100
 * steps. Swarm walks (random.ts): per-walk weights over action kinds reach corners that
 * uniform choice almost never does (a second scope end at the same node, F14).
 */
export function walkFlags(flags: ExploreFlags, walks: number, runs: number): ExploreFlags {
  // Walks keep no queue and cover no level: nothing to bound by states or depth, or to checkpoint.
  const { maxStates: _states, maxDepth: _depth, checkpointDir: _dir, checkpointEveryMinutes: _every, ...rest } = flags;
  return { ...rest, strategy: 'random', swarm: true, workers: 1, walks, timeLimitSeconds: WALK_TIME_CAP_SECONDS / runs };
}
