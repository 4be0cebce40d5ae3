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
