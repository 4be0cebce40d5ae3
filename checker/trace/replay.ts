/**
 * The replay engine, generic over Model. It feeds actions given as plain JSON (from a
 * saved trace, or from another implementation's recorded run) through the model one
 * at a time, accepting an action only if the model itself enables an action with the
 * same actionKey in the current state, and executes the model's own enabled instance.
 * That makes it both the trace re-executor and the core of conformance checking.
 */
import { propertyApplies, stateFacts, type Model } from '../model.ts';
import { diffDisplays, type Change, type DiffOptions } from './diff.ts';
import { visibleDisplay } from './display-layout.ts';
import { findProperty, propertyViolation, scopeExcuse } from './property.ts';

export type StepResult<A> =
  | {
      readonly ok: true;
      readonly index: number;
      readonly action: A;
      readonly description: string;
      readonly changes: readonly Change[];
      /** The display after the step, as the diff saw it (undefined when changes are off). */
      readonly display: unknown;
    }
  | { readonly ok: false; readonly index: number; readonly reason: string };

export interface Violation {
  readonly property: string;
  readonly message: string;
}

export class Replayer<S, A> {
  private current: S;
  private currentDisplay: unknown;
  private steps = 0;
  private readonly diffOptions: DiffOptions;

  constructor(
    readonly model: Model<S, A>,
    initialIndex = 0,
    /** Compute Model.display diffs per step (off for the shrinker, which only needs verdicts). */
    private readonly withChanges = true,
    /** Keep the display's internals (DisplayLayout.internals) in the diffs. */
    private readonly verbose = false,
  ) {
    const initial = model.initialStates();
    if (initialIndex < 0 || initialIndex >= initial.length) {
      throw new RangeError(`initial state ${initialIndex} does not exist (the model has ${initial.length})`);
    }
    this.current = initial[initialIndex];
    this.diffOptions = { multisets: new Set(model.displayLayout?.multisets ?? []) };
    this.currentDisplay = withChanges ? this.displayOf(this.current) : undefined;
  }

  private displayOf(s: S): unknown {
    return this.model.display ? visibleDisplay(this.model.display(s), this.model.displayLayout, this.verbose) : undefined;
  }

  get state(): S {
    return this.current;
  }

  /** The display of the current state as diffs see it (undefined without changes or Model.display). */
  get display(): unknown {
    return this.currentDisplay;
  }

  /** How many actions have been executed. */
  get stepCount(): number {
    return this.steps;
  }

  /** The enabled action with the same identity as `action`, or why there is none. */
  match(action: unknown): { action: A } | { reason: string } {
    let key: string;
    try {
      key = this.model.actionKey(action as A);
    } catch (e) {
      return { reason: `not an action of model ${this.model.name} (${(e as Error).message})` };
    }
    for (const enabled of this.model.actions(this.current)) {
      if (this.model.actionKey(enabled) === key) return { action: enabled };
    }
    return { reason: `not enabled in the state reached` };
  }

  /** Execute one action; the state is unchanged when it is not enabled. */
  step(action: unknown): StepResult<A> {
    const index = this.steps;
    const found = this.match(action);
    if ('reason' in found) return { ok: false, index, reason: found.reason };
    const next = this.model.next(this.current, found.action);
    let changes: readonly Change[] = [];
    if (this.withChanges && this.model.display) {
      const display = this.displayOf(next);
      changes = diffDisplays(this.currentDisplay, display, '', this.diffOptions);
      this.currentDisplay = display;
    }
    this.current = next;
    this.steps++;
    return { ok: true, index, action: found.action, description: this.model.describeAction(found.action), changes, display: this.currentDisplay };
  }

  /** Every property violated in the current state, honouring scopes, in the model's order. */
  violations(): Violation[] {
    const out: Violation[] = [];
    const facts = stateFacts(this.model, this.current);
    for (const p of this.model.properties) {
      const message = propertyApplies(p.scope, facts) ? p.check(this.current) : null;
      if (message !== null) out.push({ property: p.id, message });
    }
    return out;
  }

  /** The verdict of one property on the current state (null: holds or does not apply). */
  violationOf(propertyId: string): string | null {
    const p = findProperty(this.model, propertyId);
    if (!p) throw new RangeError(`model ${this.model.name} has no property '${propertyId}'`);
    return propertyViolation(this.model, p, this.current);
  }
}

export type ReplayOutcome =
  | { readonly kind: 'reproduced'; readonly property: string; readonly message: string; readonly steps: number }
  /** step: 1-based number of the action that is not enabled. */
  | { readonly kind: 'not-enabled'; readonly property: string; readonly step: number; readonly action: unknown; readonly reason: string; readonly steps: number }
  | { readonly kind: 'property-holds'; readonly property: string; readonly reason: string; readonly steps: number }
  | { readonly kind: 'unknown-property'; readonly property: string; readonly steps: number };

export interface ReplayInput {
  readonly initialIndex: number;
  readonly actions: readonly unknown[];
  readonly property: string;
}

/** One line: why a recorded trace does not reproduce (null when it does). */
export function whyNotReproduced(outcome: ReplayOutcome): string | null {
  switch (outcome.kind) {
    case 'reproduced':
      return null;
    case 'not-enabled':
      return `action ${outcome.step} is ${outcome.reason}`;
    case 'property-holds':
      return `property ${outcome.property} holds at the end${outcome.reason ? ` (${outcome.reason})` : ''}`;
    case 'unknown-property':
      return `the model no longer defines property ${outcome.property}`;
    default: {
      const unreachable: never = outcome;
      return String(unreachable);
    }
  }
}

export interface ReplayOptions {
  /** Keep the display's internals (DisplayLayout.internals) in the step diffs and the final display. */
  readonly verbose?: boolean;
  /** Sees the display of the state the replay stopped in (after the last enabled action). */
  readonly onFinal?: (display: unknown) => void;
}

/**
 * Re-execute a recorded counterexample and judge its property at the end.
 * `onStep` sees each executed step (for printing what changed).
 */
export function replay<S, A>(
  model: Model<S, A>,
  input: ReplayInput,
  onStep?: (step: Extract<StepResult<A>, { ok: true }>) => void,
  options: ReplayOptions = {},
): ReplayOutcome {
  const property = findProperty(model, input.property);
  const replayer = new Replayer(model, input.initialIndex, onStep !== undefined || options.onFinal !== undefined, options.verbose ?? false);
  for (const action of input.actions) {
    const result = replayer.step(action);
    if (!result.ok) {
      options.onFinal?.(replayer.display);
      return { kind: 'not-enabled', property: input.property, step: result.index + 1, action, reason: result.reason, steps: replayer.stepCount };
    }
    onStep?.(result);
  }
  options.onFinal?.(replayer.display);
  // Still shown step by step: a run recorded for another reason (heal conform's
  // CONFORM traces: the run that matched a log up to its first unmatched event).
  if (!property) return { kind: 'unknown-property', property: input.property, steps: replayer.stepCount };
  const message = propertyViolation(model, property, replayer.state);
  if (message === null) {
    return { kind: 'property-holds', property: input.property, reason: scopeExcuse(model, property, replayer.state) ?? '', steps: replayer.stepCount };
  }
  return { kind: 'reproduced', property: input.property, message, steps: replayer.stepCount };
}

export type ConformanceResult =
  | { readonly ok: true; readonly steps: number }
  | { readonly ok: false; readonly kind: 'not-enabled'; readonly step: number; readonly action: unknown; readonly reason: string }
  | { readonly ok: false; readonly kind: 'violation'; readonly step: number; readonly violations: readonly Violation[] };

/**
 * Conformance of an external run: feed its actions in order and report the first one
 * our model does not enable, or the first state (0 = initial, k = after action k) that
 * violates a property. This is how another implementation's recorded run is judged.
 */
export function checkConformance<S, A>(model: Model<S, A>, actions: Iterable<unknown>, initialIndex = 0): ConformanceResult {
  const replayer = new Replayer(model, initialIndex, false);
  let violations = replayer.violations();
  if (violations.length > 0) return { ok: false, kind: 'violation', step: 0, violations };
  for (const action of actions) {
    const result = replayer.step(action);
    if (!result.ok) return { ok: false, kind: 'not-enabled', step: result.index + 1, action, reason: result.reason };
    violations = replayer.violations();
    if (violations.length > 0) return { ok: false, kind: 'violation', step: replayer.stepCount, violations };
  }
  return { ok: true, steps: replayer.stepCount };
}
