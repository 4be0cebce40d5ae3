import type { Persist } from './core.ts';

/**
 * The persists a step issued. P-ISSUE appends and P-PERSIST-DONE removes, so they are what
 * follows the last surviving entry of `before`: found from the end, in time proportional
 * to what the step issued, not to the pipeline (a set of the whole pipeline per step made
 * a shadow taking a 10,000-entry stream quadratic: finding R4).
 */
export function issued(before: readonly Persist[], after: readonly Persist[]): readonly Persist[] {
  for (let j = before.length - 1; j >= 0; j--) {
    const i = after.lastIndexOf(before[j]!);
    if (i >= 0) return after.slice(i + 1);
  }
  return after;
}
