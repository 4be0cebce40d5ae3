/**
 * Sequential specifications for the linearizability checker. A model is a pure
 * state machine: for each operation name, a step function that says what state a
 * call with this input and this output leads to, or ILLEGAL when the specification
 * cannot produce that output from that state.
 */
import type { z } from 'zod';
import type { HistoryValue } from '../history.ts';

/** The output of an operation that never returned (crash, timeout, Jepsen `:info`). */
export const UNKNOWN: unique symbol = Symbol('unknown output');
export type Output = HistoryValue | typeof UNKNOWN;

/** Returned by a step when the output is impossible from the state. */
export const ILLEGAL: unique symbol = Symbol('illegal');

export interface OpSpec<S> {
  /** Shape of the value on the invocation (e.g. null for a read, the value for a write). */
  readonly input: z.ZodType<HistoryValue>;
  /** Shape of the value on an `ok` completion. */
  readonly output: z.ZodType<HistoryValue>;
  /**
   * The new state, or ILLEGAL. With output UNKNOWN the step must accept every
   * transition that some output would allow, since the real output is lost.
   */
  step(state: S, input: HistoryValue, output: Output): S | typeof ILLEGAL;
  /** One line for explanations, e.g. `read() -> 3`; a default is used if absent. */
  describe?(input: HistoryValue, output: Output): string;
  /**
   * The output is the value read and the invocation's value means nothing: under
   * Knossos's semantics (checker/lincheck/semantics.ts) it is ignored.
   */
  readonly readsValue?: boolean;
  /** Under Knossos's semantics a completed read of nil matches any state (its Register models). */
  readonly nilMatchesAny?: boolean;
}

export interface SeqModel<S = unknown> {
  readonly name: string;
  /** State of every object (every key, when the history is partitioned by key). */
  init(): S;
  readonly ops: Readonly<Record<string, OpSpec<S>>>;
  /**
   * Identity of a state for memoization: states with the same key are
   * interchangeable. Defaults to the state itself, which suits primitive states.
   */
  stateKey?(state: S): string | number | boolean | null;
  /**
   * Present when the model is a read/write register under these operation names
   * (the state is the value; a write sets it; a read returns it, UNKNOWN matching
   * any): histories whose writes are all distinct are then decided without search.
   */
  readonly register?: { readonly read: string; readonly write: string };
  describeState?(state: S): string;
}

/** JSON text, with bigints as their exact digits (JSON.stringify refuses them). */
export function showValue(v: Output | undefined): string {
  if (v === UNKNOWN) return '?';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(showValue).join(',')}]`;
  return JSON.stringify(v) ?? String(v);
}

/** Structural equality of history values (arrays compare element-wise). */
export function sameValue(a: HistoryValue, b: HistoryValue): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

export function describeOp<S>(model: SeqModel<S>, f: string, input: HistoryValue, output: Output): string {
  const spec = model.ops[f];
  if (spec?.describe) return spec.describe(input, output);
  const arg = input === null ? '' : showValue(input);
  return output === UNKNOWN ? `${f}(${arg}) -> ?` : `${f}(${arg}) -> ${showValue(output)}`;
}

export function describeState<S>(model: SeqModel<S>, state: S): string {
  return model.describeState ? model.describeState(state) : showValue(state as HistoryValue);
}
