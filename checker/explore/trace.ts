/**
 * Counterexample reconstruction, TLC-style: the visited set keeps only each state's
 * parent id, so the path is found by walking parents back to an initial state and then
 * re-executing forward, at each step taking the first action whose successor has the
 * recorded child's fingerprint (looked up to the child's id). Under symmetry the states
 * re-executed are concrete ones, so the trace is a real run of the model, not a run
 * through orbit representatives.
 */
import type { Counterexample } from './types.ts';
import type { FoundViolation, StateSpace } from './space.ts';
import { NO_PARENT } from './visited.ts';

export interface TraceIndex {
  parentOf(globalId: number): number | Promise<number>;
  /** Global id of a fingerprint, or -1. */
  idOf(hi: number, lo: number): number | Promise<number>;
}

export async function rebuildCounterexample<S, A>(
  space: StateSpace<S, A>,
  index: TraceIndex,
  violation: FoundViolation,
): Promise<Counterexample> {
  const chain: number[] = [violation.stateId];
  for (;;) {
    const parent = await index.parentOf(chain[chain.length - 1]);
    if (parent === NO_PARENT) break;
    chain.push(parent);
    if (chain.length > 1e7) throw new Error('trace rebuild: parent chain does not reach an initial state');
  }
  chain.reverse();

  const model = space.model;
  const initial = model.initialStates();
  let initialIndex = -1;
  for (let i = 0; i < initial.length && initialIndex < 0; i++) {
    space.encode(initial[i]);
    if ((await index.idOf(space.hi, space.lo)) === chain[0]) initialIndex = i;
  }
  if (initialIndex < 0) throw new Error('trace rebuild: no initial state has the root fingerprint');

  let current = initial[initialIndex];
  const actions: A[] = [];
  for (let step = 1; step < chain.length; step++) {
    let found = false;
    for (const a of model.actions(current)) {
      const next = model.next(current, a);
      space.encode(next);
      if ((await index.idOf(space.hi, space.lo)) === chain[step]) {
        actions.push(a);
        current = next;
        found = true;
        break;
      }
    }
    if (!found) {
      throw new Error(`trace rebuild: no action leads to recorded state ${step} of ${chain.length - 1} (is the model deterministic?)`);
    }
  }
  return { property: violation.property, message: violation.message, initialIndex, actions };
}

/** The index of a single-thread search: its own visited set. */
export function localTraceIndex<S, A>(space: StateSpace<S, A>): TraceIndex {
  return {
    parentOf: (id) => space.visited.parentOf(id),
    idOf: (hi, lo) => space.visited.lookup(hi, lo),
  };
}
