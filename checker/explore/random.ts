/**
 * Seeded random simulation for depths beyond exhaustive reach: `walks` walks of up to
 * maxDepth steps, each from a random initial state taking a uniformly random enabled
 * action. Every visited state is checked; the visited set only counts distinct states
 * (and makes a repeated state's check free). The same seed gives the same walks.
 *
 * Swarm walks (`swarm`; after Groce et al., "Swarm testing", ISSTA 2012): a uniform choice
 * takes every enabled action equally often, so a state that needs one kind of action
 * several times in a given order, while other kinds that spoil it stay enabled all along,
 * is seldom reached (F14 needs two scope ends with writes at one node, while a scope end
 * is enabled at every idle replica from the first step). Each swarm walk draws its own
 * weights over the model's action kinds (Model.actionKind): a kind is left out with
 * probability 1/2, else weighted uniformly in (0, 1]; it then picks an enabled action
 * with probability proportional to its kind's weight, uniformly when no enabled action
 * has weight, so no walk stops early for its weights. Weights are drawn from the walk's
 * seeded stream the first time the walk meets a kind, so the same seed still gives the
 * same walks. Swarm walks also never take a stuttering step (one back to the same state):
 * under duplicate delivery a message stays in flight once delivered, and 80% of a
 * uniform walk's steps (88% of a weighted one's) re-deliver one and change nothing. A
 * walk whose every enabled action
 * stutters ends there (with duplicates, a quiescent state) without the terminal check,
 * which only applies where no action is enabled.
 *
 * Measured on the stale SCOPE_ACK bug (finding F14, mutant scope-ack-unmatched; Scope x
 * HEAL, 2 writes, 0 reads, 2 scope ends, duplicates; bench/walk-reach.ts): neither change
 * alone lets walks reach a second scope end at the node that ended the first; both
 * together do (figures in spec/properties.md, F14).
 */
import type { ExploreOptions } from './types.ts';
import type { Monitor } from './monitor.ts';
import { spaceOutcome, type Outcome, type IncompleteReason } from './outcome.ts';
import type { StateSpace } from './space.ts';
import { VisitedSetFull, NO_PARENT } from './visited.ts';

const DEFAULT_WALKS = 1000;
const DEFAULT_WALK_DEPTH = 100;

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

/** One swarm walk's choice: weights per action kind, drawn the first time a kind is enabled. */
export function swarmChooser<A>(random: () => number, kindOf: (a: A) => string): (actions: readonly A[]) => A {
  const weights = new Map<string, number>();
  const weight = (kind: string): number => {
    let w = weights.get(kind);
    if (w === undefined) {
      w = random() < 0.5 ? 0 : 1 - random();
      weights.set(kind, w);
    }
    return w;
  };
  const ws: number[] = [];
  return (actions) => {
    let total = 0;
    ws.length = actions.length;
    for (let i = 0; i < actions.length; i++) total += ws[i] = weight(kindOf(actions[i]!));
    if (total === 0) return actions[Math.floor(random() * actions.length)]!;
    let r = random() * total;
    for (let i = 0; i < actions.length; i++) {
      r -= ws[i]!;
      if (r < 0 && ws[i]! > 0) return actions[i]!;
    }
    // Rounding left r at or just above 0: the last action with weight.
    for (let i = actions.length - 1; ; i--) if (ws[i]! > 0) return actions[i]!;
  };
}

export async function randomWalks<S, A>(space: StateSpace<S, A>, options: ExploreOptions, monitor: Monitor): Promise<Outcome> {
  const model = space.model;
  const walks = options.walks ?? DEFAULT_WALKS;
  const walkDepth = options.maxDepth ?? DEFAULT_WALK_DEPTH;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const random = seededRandom(options.seed);
  const kindOf = model.actionKind ? (a: A) => model.actionKind!(a) : () => '';
  const uniform = (actions: readonly A[]): A => actions[Math.floor(random() * actions.length)]!;
  const initial = model.initialStates();
  let stop: IncompleteReason | null = null;
  let depth = 0;
  let walk = 0;
  const progress = () => ({ distinctStates: space.distinct, generatedStates: space.generated, queued: walks - walk, depth });

  // A state is judged the first time any walk reaches it (and, when the walk goes on from
  // it, its quiescent and terminal properties); its id is only a counter here.
  // `admitEncoded` takes the state space.encode() was last given; hi/lo stay the
  // fingerprint of the walk's current state.
  let fresh = -1;
  let hi = 0;
  let lo = 0;
  const admitEncoded = (d: number): void => {
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
  const visit = (s: S, d: number): void => {
    space.encode(s);
    admitEncoded(d);
  };
  /**
   * A swarm step: a chosen action whose successor is the state itself (its fingerprint)
   * is struck off and another chosen, so the walk's steps all change something. Null
   * when every enabled action stutters: nothing new is reachable, the walk is over.
   */
  const swarmStep = (s: S, actions: readonly A[], choose: (as: readonly A[]) => A, d: number): { a: A; t: S } | null => {
    let candidates = actions;
    while (candidates.length > 0) {
      const a = choose(candidates);
      const t = model.next(s, a);
      space.generated++;
      space.encode(t);
      if (space.hi !== hi || space.lo !== lo) {
        admitEncoded(d);
        return { a, t };
      }
      candidates = candidates.filter((x) => x !== a);
    }
    return null;
  };

  try {
    walks: for (walk = 0; walk < walks && initial.length > 0; walk++) {
      const initialIndex = Math.floor(random() * initial.length);
      let s = initial[initialIndex];
      const taken: A[] = [];
      const choose = options.swarm ? swarmChooser(random, kindOf) : uniform;
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
        if (options.swarm) {
          const step = swarmStep(s, actions, choose, depth + 1);
          if (step === null) break;
          s = step.t;
          taken.push(step.a);
          continue;
        }
        const a = choose(actions);
        s = model.next(s, a);
        taken.push(a);
        space.generated++;
        visit(s, depth + 1);
      }
      if ((walk & 63) === 0) {
        stop = monitor.check(progress);
        if (stop !== null) break;
        await monitor.yieldToEvents();
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
    return { ...spaceOutcome(space, reason, counterexample), walks: Math.min(walk + 1, walks) };
  }
}
