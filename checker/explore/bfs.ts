/**
 * Breadth-first search on one thread. States are checked when first reached, so the
 * first violation found is at the smallest depth: its trace is a shortest one.
 */
import type { ExploreOptions } from './types.ts';
import type { Monitor } from './monitor.ts';
import type { Outcome, IncompleteReason } from './outcome.ts';
import type { StateSpace } from './space.ts';
import { RecordDeque } from './records.ts';
import { localTraceIndex, rebuildCounterexample } from './trace.ts';
import { NO_PARENT, VisitedSetFull } from './visited.ts';

export async function bfs<S, A>(space: StateSpace<S, A>, options: ExploreOptions, monitor: Monitor): Promise<Outcome> {
  const model = space.model;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const queue = new RecordDeque();
  let stop: IncompleteReason | null = null;
  let truncatedByDepth = false;
  let depth = 0;
  const progress = () => ({ distinctStates: space.distinct, generatedStates: space.generated, queued: queue.size, depth });

  try {
    // Admits the state whose encoding and fingerprint space.encode just produced.
    const reach = (bytes: Uint8Array, parent: number, d: number): boolean => {
      if (space.distinct >= maxStates && space.visited.lookup(space.hi, space.lo) < 0) {
        stop = 'max-states';
        return false;
      }
      const id = space.admit(space.rep as S, parent, d);
      if (id >= 0) queue.push(id, d, space.hi, space.lo, bytes);
      return space.violation === null;
    };

    for (const s of model.initialStates()) {
      space.generated++;
      if (!reach(space.encode(s), NO_PARENT, 0)) break;
    }

    let sinceCheck = 0;
    search: while (stop === null && space.violation === null && queue.size > 0) {
      const bytes = queue.shift();
      const id = queue.last.a;
      depth = queue.last.b;
      const parentHi = queue.last.hi;
      const parentLo = queue.last.lo;
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
      const childDepth = depth + 1;
      for (let i = 0; i < actions.length; i++) {
        const t = model.next(s, actions[i]);
        space.generated++;
        const bytes = space.encode(t);
        // A step back to the state itself (a stuttering action) needs no table probe.
        if (space.hi === parentHi && space.lo === parentLo) continue;
        if (!reach(bytes, id, childDepth)) break search;
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
