/**
 * Seeded random simulation for depths beyond exhaustive reach: `walks` walks of up to
 * maxDepth steps, each from a random initial state taking a uniformly random enabled
 * action. Every visited state is checked; the visited set only counts distinct states
 * (and makes a repeated state's check free). The same seed gives the same walks.
 */
import type { ExploreOptions } from './types.ts';
import type { Monitor } from './monitor.ts';
import type { Outcome, IncompleteReason } from './outcome.ts';
import type { StateSpace } from './space.ts';
import { VisitedSetFull, NO_PARENT } from './visited.ts';

export const DEFAULT_WALKS = 1000;
export const DEFAULT_WALK_DEPTH = 100;

/** mulberry32: small, fast, and good enough to pick actions. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function randomWalks<S, A>(space: StateSpace<S, A>, options: ExploreOptions, monitor: Monitor): Promise<Outcome> {
  const model = space.model;
  const walks = options.walks ?? DEFAULT_WALKS;
  const walkDepth = options.maxDepth ?? DEFAULT_WALK_DEPTH;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const random = seededRandom(options.seed);
  const initial = model.initialStates();
  let stop: IncompleteReason | null = null;
  let depth = 0;
  let walk = 0;
  const progress = () => ({ distinctStates: space.distinct, generatedStates: space.generated, queued: walks - walk, depth });

  // A state is judged the first time any walk reaches it (and, when the walk goes on from
  // it, its quiescent and terminal properties); its id is only a counter here.
  let fresh = -1;
  let hi = 0;
  let lo = 0;
  const visit = (s: S, d: number): void => {
    space.encode(s);
    hi = space.hi;
    lo = space.lo;
    if (space.distinct >= maxStates && space.visited.lookup(space.hi, space.lo) < 0) {
      stop = 'max-states';
      return;
    }
    const rep = space.rep as S;
    fresh = space.admit(NO_PARENT, d);
    if (fresh >= 0) space.judgeReached(rep, fresh, d);
  };

  try {
    walks: for (walk = 0; walk < walks && initial.length > 0; walk++) {
      const initialIndex = Math.floor(random() * initial.length);
      let s = initial[initialIndex];
      const taken: A[] = [];
      space.generated++;
      visit(s, 0);
      for (depth = 0; ; depth++) {
        if (stop !== null) break walks;
        if (space.violation !== null) {
          return finish(null, { property: space.violation.property, message: space.violation.message, initialIndex, actions: taken });
        }
        const actions = model.actions(s);
        if (fresh >= 0) {
          space.judgeExpanded(s, fresh, depth, actions, hi, lo);
          if (space.violation !== null) continue;
        }
        if (actions.length === 0) break;
        if (depth >= walkDepth) break;
        const a = actions[Math.floor(random() * actions.length)];
        s = model.next(s, a);
        taken.push(a);
        space.generated++;
        visit(s, depth + 1);
      }
      if ((walk & 63) === 0) {
        stop = monitor.check(progress);
        if (stop !== null) break;
      }
    }
  } catch (e) {
    if (!(e instanceof VisitedSetFull)) throw e;
    stop = 'memory-limit';
  }
  // Random walks never cover the whole space, so a run without a violation is incomplete:
  // it stops at the walk depth, or earlier at a bound.
  return finish(stop ?? 'walks', null);

  function finish(reason: IncompleteReason | null, counterexample: Outcome['counterexample']): Outcome {
    return {
      stop: counterexample === null ? reason : null,
      counterexample,
      distinct: space.distinct,
      generated: space.generated,
      maxDepth: space.maxDepthSeen,
      visitedBytes: space.visited.bytes,
    };
  }
}
