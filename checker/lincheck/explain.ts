/**
 * Why a history is not linearizable, in terms a person can act on.
 *
 * Cutting a history at a time T (dropping what is invoked later, and turning what
 * is still running at T into indeterminate operations) can only remove
 * constraints, so "the prefix up to T is linearizable" is monotone in T. A binary
 * search over completion times therefore finds the one completion that breaks
 * linearizability: the operation that cannot be placed. The window is that
 * operation with everything concurrent with it; the longest partial linearization
 * of the failing prefix shows how far any order gets.
 */
import { ILLEGAL, UNKNOWN, describeOp, describeState, type SeqModel } from '../../spec/models/types.ts';
import type { Operation } from './operation.ts';
import type { Partition } from './partition.ts';
import { searchLinearization } from './search.ts';

export interface Explanation {
  readonly key: string | undefined;
  /** The operation whose completion makes the history non-linearizable. */
  readonly blocked: Operation;
  /** The blocked operation and every operation running concurrently with it. */
  readonly window: readonly Operation[];
  /** The longest order of operations found for the shortest failing prefix. */
  readonly longest: readonly Operation[];
  /** Model state after `longest`, described. */
  readonly stateAfterLongest: string;
  /** Whether the blocked operation's own step is impossible right after `longest`. */
  readonly blockedStepIllegal: boolean;
  /** false when the time budget ran out while narrowing: blocked is then the last completion. */
  readonly minimal: boolean;
}

export function explainFailure<S>(part: Partition, model: SeqModel<S>, deadline: number, memoryLimitBytes = Infinity): Explanation {
  const completed = part.ops.filter((op) => op.ret !== Infinity).sort((a, b) => a.ret - b.ret);
  let lo = 0;
  let hi = completed.length - 1;
  let minimal = true;
  const prefixIsIllegal = (i: number): boolean | undefined => {
    const r = searchLinearization(cutAt(part.ops, completed[i].ret), model, { deadline, trackLongest: false, memoryLimitBytes });
    return r.kind === 'unknown' ? undefined : r.kind === 'illegal';
  };
  // A guess first: the deepest partial linearization of the whole history usually
  // stops at the failing completion, so two searches settle it where a plain
  // binary search needs log2(n), each as long as the history (20 s at 100k).
  const whole = searchLinearization(part.ops, model, { deadline, trackLongest: true, memoryLimitBytes });
  if (whole.kind === 'illegal' && lo < hi) {
    const placed = new Set(whole.longest.map((i) => part.ops[i].id));
    const guess = completed.findIndex((op) => !placed.has(op.id));
    if (guess > lo && guess < hi) {
      const atGuess = prefixIsIllegal(guess);
      if (atGuess === true) {
        hi = guess;
        const before = prefixIsIllegal(guess - 1);
        if (before === false) lo = guess;
        else if (before === true) hi = guess - 1;
        else minimal = false;
      } else if (atGuess === false) lo = guess + 1;
      else minimal = false;
    }
  }
  while (minimal && lo < hi) {
    const mid = (lo + hi) >>> 1;
    const illegal = prefixIsIllegal(mid);
    if (illegal === undefined) {
      minimal = false;
      break;
    }
    if (illegal) hi = mid;
    else lo = mid + 1;
  }
  const blocked = completed[hi];
  const prefix = cutAt(part.ops, blocked.ret);
  const r = searchLinearization(prefix, model, { deadline, trackLongest: true, memoryLimitBytes });
  const longest = (r.kind === 'ok' ? r.order : r.longest).map((i) => prefix[i]);

  let state = model.init();
  for (const op of longest) {
    const next = model.ops[op.f].step(state, op.input, op.output);
    if (next === ILLEGAL) break;
    state = next;
  }
  const blockedStepIllegal = model.ops[blocked.f].step(state, blocked.input, blocked.output) === ILLEGAL;
  const window = prefix.filter((op) => op.id === blocked.id || op.ret > blocked.call);
  const original = new Map(part.ops.map((op) => [op.id, op]));
  return {
    key: part.key,
    blocked,
    window: window.map((op) => original.get(op.id)!),
    longest: longest.map((op) => original.get(op.id)!),
    stateAfterLongest: describeState(model, state),
    blockedStepIllegal,
    minimal,
  };
}

/** The history as it stood at time t: later invocations dropped, running operations indeterminate. */
function cutAt(ops: readonly Operation[], t: number): Operation[] {
  const out: Operation[] = [];
  for (const op of ops) {
    if (op.call > t) continue;
    out.push(op.ret <= t ? op : { ...op, output: UNKNOWN, ret: Infinity });
  }
  return out;
}

export function describeOperation<S>(model: SeqModel<S>, op: Operation): string {
  const lines =
    op.callLine === undefined
      ? `events ${op.call + 1}-${op.ret === Infinity ? 'end' : op.ret + 1}`
      : `lines ${op.callLine}-${op.retLine ?? 'end (no return)'}`;
  return `process ${op.process}: ${describeOp(model, op.f, op.input, op.output)}   [${lines}]`;
}

/** Human-readable lines, used by the CLI and available to any caller. */
export function formatExplanation<S>(model: SeqModel<S>, e: Explanation): string[] {
  const out: string[] = [];
  const keyText = e.key === undefined ? '' : ` on key ${JSON.stringify(e.key)}`;
  out.push(`not linearizable${keyText}.`);
  out.push(`operation that cannot be placed: ${describeOperation(model, e.blocked)}`);
  out.push(
    e.minimal
      ? `  the history is linearizable up to just before this operation returns; its return makes it not.`
      : `  (time ran out while narrowing: this is the last completion, not necessarily the first that fails)`,
  );
  out.push(`window: it and the ${e.window.length - 1} operation(s) concurrent with it, which no order reconciles:`);
  for (const op of [...e.window].sort((a, b) => a.call - b.call)) out.push(`  ${describeOperation(model, op)}`);
  out.push(`longest partial linearization found (${e.longest.length} operation(s)):`);
  let state = model.init();
  for (const [i, op] of e.longest.entries()) {
    const next = model.ops[op.f].step(state, op.input, op.output);
    if (next !== ILLEGAL) state = next;
    out.push(`  ${String(i + 1).padStart(3)}. ${describeOperation(model, op)}   => ${describeState(model, state)}`);
  }
  out.push(
    e.blockedStepIllegal
      ? `after it the state is ${e.stateAfterLongest}, from which ${describeOp(model, e.blocked.f, e.blocked.input, e.blocked.output)} is impossible.`
      : `after it the state is ${e.stateAfterLongest}; placing the blocked operation there leaves an operation that must follow it impossible.`,
  );
  return out;
}
