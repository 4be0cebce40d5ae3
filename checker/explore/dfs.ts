/**
 * Depth-first search on one thread: the same visited set and checks as BFS, a stack
 * instead of a queue. It reaches deep states sooner and holds a smaller frontier, but its
 * counterexamples are not shortest.
 */
import type { ExploreOptions } from './types.ts';
import type { Monitor } from './monitor.ts';
import type { Outcome, IncompleteReason } from './outcome.ts';
import type { StateSpace } from './space.ts';
import { RecordDeque } from './records.ts';
import { localTraceIndex, rebuildCounterexample } from './trace.ts';
import { NO_PARENT, VisitedSetFull } from './visited.ts';

export async function dfs<S, A>(space: StateSpace<S, A>, options: ExploreOptions, monitor: Monitor): Promise<Outcome> {
  const model = space.model;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const stack = new RecordDeque();
  let stop: IncompleteReason | null = null;
  let truncatedByDepth = false;
  let depth = 0;
  const progress = () => ({ distinctStates: space.distinct, generatedStates: space.generated, queued: stack.size, depth });

  try {
    const reach = (bytes: Uint8Array, parent: number, d: number): boolean => {
      if (space.distinct >= maxStates && space.visited.lookup(space.hi, space.lo) < 0) {
        stop = 'max-states';
        return false;
      }
      const id = space.admit(space.rep as S, parent, d);
      if (id >= 0) stack.push(id, d, space.hi, space.lo, bytes);
      return space.violation === null;
    };

    // Pushed in reverse so the first initial state / first action is explored first.
    const initial = model.initialStates();
    for (let i = initial.length - 1; i >= 0; i--) {
      space.generated++;
      if (!reach(space.encode(initial[i]), NO_PARENT, 0)) break;
    }

    let sinceCheck = 0;
    search: while (stop === null && space.violation === null && stack.size > 0) {
      const bytes = stack.pop();
      const id = stack.last.a;
      depth = stack.last.b;
      const parentHi = stack.last.hi;
      const parentLo = stack.last.lo;
      const s = model.decode(bytes);
      const actions = model.actions(s);
      if (actions.length === 0) {
        space.checkTerminal(s, id);
        if (space.violation !== null) break;
        continue;
      }
      if (depth >= maxDepth) {
        truncatedByDepth = true;
        continue;
      }
      for (let i = actions.length - 1; i >= 0; i--) {
        const t = model.next(s, actions[i]);
        space.generated++;
        const bytes = space.encode(t);
        // A step back to the state itself (a stuttering action) needs no table probe.
        if (space.hi === parentHi && space.lo === parentLo) continue;
        if (!reach(bytes, id, depth + 1)) break search;
      }
      if (++sinceCheck >= 1024) {
        sinceCheck = 0;
        stop = monitor.check(progress);
      }
    }
  } catch (e) {
    if (!(e instanceof VisitedSetFull)) throw e;
    stop = 'memory-limit';
  }
  if (stop === null && space.violation === null && truncatedByDepth) stop = 'max-depth';

  const counterexample = space.violation === null ? null : await rebuildCounterexample(space, localTraceIndex(space), space.violation);
  return {
    stop: counterexample === null ? stop : null,
    counterexample,
    distinct: space.distinct,
    generated: space.generated,
    maxDepth: space.maxDepthSeen,
    visitedBytes: space.visited.bytes,
  };
}
