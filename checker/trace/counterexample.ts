/**
 * From an explorer's counterexample to a trace file: shrink it (unless it is already a
 * shortest one), replay it against the model, then save it. The replay is there so that
 * a trace on disk always reproduces: if it does not, the explorer and the replayer
 * disagree, a bug in one of them, and that is thrown, never saved.
 */
import type { Model } from '../model.ts';
import type { Counterexample } from '../explore/types.ts';
import { saveTrace } from './io.ts';
import { replay, whyNotReproduced } from './replay.ts';
import type { FoundBy, Trace } from './schema.ts';
import { shrink } from './shrink.ts';

/** What the trace file records about the model it came from and the search that found it. */
export interface TraceOrigin {
  /** The registry name that rebuilds the model (Trace.model). */
  readonly model: string;
  readonly config: Record<string, unknown>;
  readonly mutant: string | null;
  readonly strategy: FoundBy['strategy'];
  /** The seed, where the strategy draws random numbers; else null. */
  readonly seed: number | null;
}

export interface SavedCounterexample {
  /** The file written; null when writing failed (`saveError` says why; `trace` is the content). */
  readonly path: string | null;
  readonly saveError?: string;
  readonly trace: Omit<Trace, 'formatVersion' | 'toolVersion'>;
}

export function saveCounterexample<S, A>(model: Model<S, A>, cx: Counterexample, origin: TraceOrigin, outDir: string): SavedCounterexample {
  let actions: readonly unknown[] = cx.actions;
  let message = cx.message;
  let shrunkFrom: number | null = null;
  // Breadth-first counterexamples are already shortest; the others are worth cutting down.
  if (origin.strategy !== 'bfs' && actions.length > 1) {
    const shrunk = shrink(model, { initialIndex: cx.initialIndex, actions, property: cx.property });
    shrunkFrom = actions.length;
    actions = shrunk.actions;
    message = shrunk.message;
  }
  const trace = {
    model: origin.model,
    config: origin.config,
    mutant: origin.mutant,
    property: cx.property,
    message,
    foundBy: { strategy: origin.strategy, seed: origin.seed, shrunkFrom },
    initialIndex: cx.initialIndex,
    actions: [...actions],
    steps: actions.map((a) => model.describeAction(a as A)),
  };
  const outcome = replay(model, trace);
  if (outcome.kind !== 'reproduced') {
    throw new Error(`counterexample for ${cx.property} (${model.name}) does not replay: ${whyNotReproduced(outcome)}`);
  }
  try {
    return { path: saveTrace(outDir, trace), trace };
  } catch (e) {
    // The disk failed after the search: the caller still has the trace to show the user.
    return { path: null, saveError: (e as { code?: string }).code ?? (e as Error).message, trace };
  }
}
