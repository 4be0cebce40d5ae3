/**
 * Delta debugging (Zeller's ddmin) of a violating action list: find a shorter list that,
 * replayed from the same initial state with every action enabled, still violates the
 * same property. Random walks give long, noisy counterexamples; this cuts them down.
 * Steps that leave the state as it was (a message delivered again under duplicate
 * delivery) go first, all at once: ddmin would find them one test at a time, and a
 * long walk can exhaust its budget before it has.
 */
import type { Model } from '../model.ts';
import { findProperty, propertyViolation } from './property.ts';
import { Replayer } from './replay.ts';

export interface ShrinkInput {
  readonly initialIndex: number;
  readonly actions: readonly unknown[];
  readonly property: string;
}

export interface ShrinkResult {
  readonly actions: readonly unknown[];
  readonly message: string;
  /** Candidate lists replayed. */
  readonly tests: number;
}

/**
 * The shortest prefix of `actions` after which the property is violated, or null if
 * some action is not enabled or the property never fails along the way.
 */
export function violatingPrefix<S, A>(
  model: Model<S, A>,
  input: ShrinkInput,
): { actions: readonly unknown[]; message: string } | null {
  const property = findProperty(model, input.property);
  if (!property) throw new RangeError(`model ${model.name} has no property '${input.property}'`);
  const replayer = new Replayer(model, input.initialIndex, false);
  let message = propertyViolation(model, property, replayer.state);
  if (message !== null) return { actions: [], message };
  for (let i = 0; i < input.actions.length; i++) {
    if (!replayer.step(input.actions[i]).ok) return null;
    message = propertyViolation(model, property, replayer.state);
    if (message !== null) return { actions: input.actions.slice(0, i + 1), message };
  }
  return null;
}

/**
 * The 0-based positions of the steps after which the state encodes as it did before
 * (Model.encode is canonical: the protocol cannot tell the two apart). Every action must
 * be enabled; the positions of the executed prefix otherwise.
 */
export function stutterSteps<S, A>(model: Model<S, A>, initialIndex: number, actions: readonly unknown[]): number[] {
  const replayer = new Replayer(model, initialIndex, false);
  const out: number[] = [];
  let before = model.encode(replayer.state).slice();
  for (let i = 0; i < actions.length; i++) {
    if (!replayer.step(actions[i]).ok) break;
    const after = model.encode(replayer.state).slice();
    if (after.length === before.length && after.every((b, k) => b === before[k])) out.push(i);
    before = after;
  }
  return out;
}

/**
 * Drop the stutter steps if the rest still violates (it does unless a property reads
 * what the encoding leaves out); costs one replay to find them and one to check.
 */
function dropStutters<S, A>(
  model: Model<S, A>,
  input: ShrinkInput,
  current: { actions: readonly unknown[]; message: string },
): { actions: readonly unknown[]; message: string; tests: number } {
  const stutters = new Set(stutterSteps(model, input.initialIndex, current.actions));
  if (stutters.size === 0) return { ...current, tests: 0 };
  const candidate = current.actions.filter((_, i) => !stutters.has(i));
  const result = violatingPrefix(model, { ...input, actions: candidate });
  return result ? { ...result, tests: 1 } : { ...current, tests: 1 };
}

export function shrink<S, A>(model: Model<S, A>, input: ShrinkInput, maxTests = 5000): ShrinkResult {
  let tests = 1;
  const first = violatingPrefix(model, input);
  if (!first) throw new Error(`the action list does not violate ${input.property}: nothing to shrink`);
  const calm = dropStutters(model, input, first);
  tests += calm.tests;
  let current = calm.actions;
  let message = calm.message;
  let granularity = 2;
  while (current.length >= 2 && tests < maxTests) {
    const chunk = Math.ceil(current.length / granularity);
    let reduced = false;
    for (let start = 0; start < current.length && tests < maxTests; start += chunk) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      tests++;
      const result = violatingPrefix(model, { ...input, actions: candidate });
      if (result) {
        current = result.actions;
        message = result.message;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (granularity >= current.length) break;
      granularity = Math.min(granularity * 2, current.length);
    }
  }
  // A cut can make a later delivery redundant; ddmin removes those only if its budget lasts.
  const last = dropStutters(model, input, { actions: current, message });
  return { actions: last.actions, message: last.message, tests: tests + last.tests };
}
