import type { StateSpace } from './space.ts';
import type { Counterexample, ExploreResult } from './types.ts';

export type IncompleteReason = NonNullable<ExploreResult['incompleteReason']>;

/** What a strategy reports; index.ts turns it into an ExploreResult. */
export interface Outcome {
  readonly stop: IncompleteReason | null;
  readonly counterexample: Counterexample | null;
  readonly distinct: number;
  readonly generated: number;
  readonly maxDepth: number;
  /** BFS, when incomplete: every state within this many steps was reached and checked. */
  readonly checkedDepth?: number;
  /** Random strategy: walks started (the last one may have been cut short by a bound). */
  readonly walks?: number;
  /** Bytes of the visited set(s) and parent index, for bytes per state. */
  readonly visitedBytes: number;
  /** Frontier records written to disk (BFS past its frontier memory bound). */
  readonly spilled?: number;
  readonly resumedFrom?: number;
}

/** What every strategy's outcome takes from its search space; a found violation leaves no reason to stop. */
export function spaceOutcome<S, A>(space: StateSpace<S, A>, stop: IncompleteReason | null, counterexample: Counterexample | null): Outcome {
  return {
    stop: counterexample === null ? stop : null,
    counterexample,
    distinct: space.distinct,
    generated: space.generated,
    maxDepth: space.maxDepthSeen,
    visitedBytes: space.visited.bytes,
  };
}
