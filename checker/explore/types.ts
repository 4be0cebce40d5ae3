import type { Model, ModelRef } from '../model.ts';
import type { CheckpointOptions } from './checkpoint.ts';

export type Strategy = 'bfs' | 'dfs' | 'random';

export interface ExploreOptions {
  readonly strategy: Strategy;
  /** Seed for the random strategy (and nothing else: BFS and DFS are deterministic). */
  readonly seed: number;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeLimitSeconds?: number;
  /** Stop cleanly (result "incomplete") before the process would run out of memory. */
  readonly memoryLimitMB?: number;
  readonly workers: number;
  readonly symmetry: boolean;
  /**
   * Breadth-first search: the frontier's in-memory bound in MB (all workers together);
   * past it, states queued for later levels go to files of encoded states (spill.ts).
   */
  readonly frontierMemoryMB?: number;
  /** Where frontier spill files go (a private directory is made in it); default the OS temp dir. */
  readonly spillDir?: string;
  /** Breadth-first search on one thread: write checkpoints, and resume from one. */
  readonly checkpoint?: CheckpointOptions;
  /** Random strategy: how many walks, each up to maxDepth steps. */
  readonly walks?: number;
  /** Random strategy: swarm walks, each with its own random weights over action kinds (random.ts). */
  readonly swarm?: boolean;
  /**
   * Stop cleanly when aborted (Ctrl-C): the run ends 'incomplete' with reason
   * 'interrupted' and reports what it covered, exactly as at a time limit.
   */
  readonly interrupt?: AbortSignal;
  /** Called about once a second with live figures (for the terminal progress line). */
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly queued: number;
  readonly depth: number;
  readonly statesPerSecond: number;
  readonly elapsedSeconds: number;
}

export interface Counterexample {
  readonly property: string;
  readonly message: string;
  /** Index into model.initialStates() of the trace's first state. */
  readonly initialIndex: number;
  /** Actions (plain JSON data) from that initial state to the violating state. */
  readonly actions: readonly unknown[];
}

export interface ExploreResult {
  readonly result: 'ok' | 'violation' | 'incomplete';
  /**
   * Why the run is incomplete: which bound was reached. 'walks': the random strategy
   * finished its walks without a violation (sampling never covers the whole space).
   */
  readonly incompleteReason?: 'max-states' | 'max-depth' | 'time-limit' | 'memory-limit' | 'interrupted' | 'walks';
  readonly distinctStates: number;
  readonly generatedStates: number;
  /**
   * Steps from an initial state to the deepest state reached (initial states are depth 0).
   * Under BFS this is the diameter; TLC reports it plus one (it counts states, not steps).
   */
  readonly maxDepth: number;
  /**
   * Breadth-first runs that stop incomplete: every state within this many steps of an
   * initial state was reached and passed every property (state, quiescent and terminal),
   * the analogue of TLC's depth of a complete search. Absent otherwise (a complete run
   * checked everything; DFS and random walks cover no whole level).
   */
  readonly checkedDepth?: number;
  /** Random strategy: how many walks were started. */
  readonly walks?: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  /** Bytes the visited set (and parent index) holds per distinct state. */
  readonly bytesPerState: number;
  readonly peakMemoryMB: number;
  /** Queued states that went to disk because the frontier passed its memory bound (absent: none). */
  readonly spilledStates?: number;
  /** The run continued from a checkpoint taken with this many distinct states. */
  readonly resumedFrom?: number;
  readonly counterexample?: Counterexample;
}

/** Explore a model given directly (one thread) or by reference (needed for workers > 1). */
export type ExploreTarget<S, A> = Model<S, A> | ModelRef;
