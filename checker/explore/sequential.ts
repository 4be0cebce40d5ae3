/**
 * Breadth-first and depth-first search on one thread: the same visited set, checks and
 * bounds, differing only in which end of the frontier is taken next.
 *
 * BFS judges a state's state properties when first reached and its quiescent and terminal
 * properties when it expands it, and on a violation finishes judging the level being
 * expanded, so the violation reported is at the smallest depth: its trace is a shortest one. DFS reaches deep states sooner and holds a smaller
 * frontier, but its counterexamples are not shortest.
 */
import type { ExploreOptions } from './types.ts';
import type { Monitor } from './monitor.ts';
import { spaceOutcome, type Outcome, type IncompleteReason } from './outcome.ts';
import type { StateSpace } from './space.ts';
import { RecordDeque } from './records.ts';
import { frontierMemoryBytes, SpillingQueue } from './spill.ts';
import { localTraceIndex, rebuildCounterexample } from './trace.ts';
import { NO_PARENT, VisitedSetFull, type VisitedSet } from './visited.ts';
import { writeCheckpoint, type Restored } from './checkpoint.ts';

/** `restored`: continue a checkpointed search (its visited set is already the space's). */
export function bfs<S, A>(space: StateSpace<S, A>, options: ExploreOptions, monitor: Monitor, restored: Restored | null = null): Promise<Outcome> {
  return search(space, options, monitor, 'fifo', restored);
}

export function dfs<S, A>(space: StateSpace<S, A>, options: ExploreOptions, monitor: Monitor): Promise<Outcome> {
  return search(space, options, monitor, 'lifo');
}

async function search<S, A>(
  space: StateSpace<S, A>,
  options: ExploreOptions,
  monitor: Monitor,
  order: 'fifo' | 'lifo',
  restored: Restored | null = null,
): Promise<Outcome> {
  const model = space.model;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const lifo = order === 'lifo';
  // BFS's queue spills to disk past its memory bound; DFS's stack stays small.
  const frontier = lifo ? new RecordDeque() : new SpillingQueue(frontierMemoryBytes(options), options.spillDir);
  let stop: IncompleteReason | null = null;
  let truncatedByDepth = false;
  let depth = 0;
  const progress = () => ({ distinctStates: space.distinct, generatedStates: space.generated, queued: frontier.size, depth });
  const ckpt = lifo ? undefined : options.checkpoint;
  const resumedFrom = restored === null ? null : restored.visited.size;
  let lastCheckpoint = performance.now();
  // Between two expansions the visited set, the frontier and the counters agree.
  const checkpoint = () => {
    writeCheckpoint(ckpt!, { generated: space.generated, maxDepthSeen: space.maxDepthSeen, depth, truncatedByDepth }, space.visited as VisitedSet, frontier as SpillingQueue);
    lastCheckpoint = performance.now();
  };

  try {
    // The parent and depth of the states reach() admits: the state being expanded and
    // one more than its depth (none and 0 for the initial states).
    let parent = NO_PARENT;
    let childDepth = 0;
    // Admits the state whose encoding and fingerprint space.encode just produced. It is
    // queued before it is judged: the bytes may be the encoder's own buffer.
    const reach = (bytes: Uint8Array): boolean => {
      if (space.distinct >= maxStates && space.visited.lookup(space.hi, space.lo) < 0) {
        stop = 'max-states';
        return false;
      }
      const rep = space.rep as S;
      const id = space.admit(parent, childDepth);
      if (id < 0) return true;
      frontier.push(id, childDepth, space.hi, space.lo, bytes);
      space.judgeReached(rep, id, childDepth);
      return space.violation === null;
    };

    // A stack is filled in reverse so that DFS, too, explores the first initial state and
    // the first action first.
    const initial = model.initialStates();
    if (restored !== null) {
      space.generated = restored.counters.generated;
      space.maxDepthSeen = restored.counters.maxDepthSeen;
      depth = restored.counters.depth;
      truncatedByDepth = restored.counters.truncatedByDepth;
      for (const b of restored.frontier) (frontier as SpillingQueue).adopt(b);
    } else {
      for (let k = 0; k < initial.length; k++) {
        space.generated++;
        if (!reach(space.encode(initial[lifo ? initial.length - 1 - k : k]))) break;
      }
    }

    let sinceCheck = 0;
    while (stop === null && frontier.size > 0) {
      const bytes = lifo ? (frontier as RecordDeque).pop() : frontier.shift();
      const id = frontier.last.a;
      const d = frontier.last.b;
      // A violation found on admission is one level deeper than the states being
      // expanded: BFS still judges the rest of their level, which may hold a shallower
      // (quiescent or terminal) one, so the counterexample stays a shortest one.
      const finishing = space.violation !== null;
      if (finishing && (lifo || d >= space.violation!.depth)) break;
      depth = d;
      const parentHi = frontier.last.hi;
      const parentLo = frontier.last.lo;
      const s = model.decode(bytes);
      const actions = model.actions(s);
      space.judgeExpanded(s, id, depth, actions, parentHi, parentLo);
      if (finishing || space.violation !== null) continue;
      if (actions.length === 0) continue;
      if (depth >= maxDepth) {
        truncatedByDepth = true;
        continue;
      }
      parent = id;
      childDepth = depth + 1;
      if (!space.expand(s, actions, parentHi, parentLo, lifo, reach) && stop !== null) break;
      if (++sinceCheck >= 1024) {
        sinceCheck = 0;
        stop = monitor.check(progress);
        await monitor.yieldToEvents();
        // Never with a violation pending: its state is admitted, and a resumed run would
        // not judge it again. (Its own expansion may also have been cut short.)
        if (ckpt !== undefined && space.violation === null && (stop === 'time-limit' || stop === 'interrupted' || performance.now() - lastCheckpoint >= ckpt.everySeconds * 1000)) {
          checkpoint();
        }
      }
    }
  } catch (e) {
    if (!(e instanceof VisitedSetFull)) throw e;
    stop = 'memory-limit';
  } finally {
    if (frontier instanceof SpillingQueue) frontier.dispose();
  }
  if (stop === null && space.violation === null && truncatedByDepth) stop = 'max-depth';

  const counterexample = space.violation === null ? null : await rebuildCounterexample(space, localTraceIndex(space), space.violation);
  // FIFO order: once a state of depth d is taken, every shallower one was expanded (or
  // judged terminal) and every state of depth d was admitted, so all within d - 1 steps
  // passed every property. A depth bound expands nothing deeper but judges every state
  // up to it, terminal ones included.
  const checkedDepth = lifo ? undefined : stop === 'max-depth' ? maxDepth : Math.max(0, depth - 1);
  return {
    ...spaceOutcome(space, stop, counterexample),
    ...(checkedDepth === undefined ? {} : { checkedDepth }),
    spilled: frontier instanceof SpillingQueue ? frontier.spilledTotal : 0,
    ...(resumedFrom !== null ? { resumedFrom } : {}),
  };
}
