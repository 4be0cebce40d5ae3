/**
 * Delta debugging (Zeller's ddmin) of a violating action list: find a shorter list that,
 * replayed from the same initial state with every action enabled, still violates the
 * same property. Random walks give long, noisy counterexamples; this cuts them down.
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

export function shrink<S, A>(model: Model<S, A>, input: ShrinkInput, maxTests = 5000): ShrinkResult {
  let tests = 1;
  const first = violatingPrefix(model, input);
  if (!first) throw new Error(`the action list does not violate ${input.property}: nothing to shrink`);
  let current = first.actions;
  let message = first.message;
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
  return { actions: current, message, tests };
}
