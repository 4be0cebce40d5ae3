/**
 * Pairs invocations with completions into operations, following Jepsen's rules:
 * `ok` completes the process's open operation, `fail` means it did not happen (it
 * is dropped), `info` leaves it indeterminate, and an operation still open at the
 * end of the history is indeterminate too: it may take effect at any point after
 * its invocation, or not at all.
 */
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';
import { UNKNOWN, showValue, type Output, type SeqModel } from '../../spec/models/types.ts';
import { HistoryError, where, type SourceMap } from '../history/errors.ts';
import type { Semantics } from './semantics.ts';

export interface Operation {
  /** Position in the returned array. */
  readonly id: number;
  readonly process: number;
  readonly f: string;
  readonly key: string | undefined;
  readonly input: HistoryValue;
  /** UNKNOWN when the operation never returned. */
  readonly output: Output;
  /** Index of the invocation event: only the order of call and ret matters. */
  readonly call: number;
  /** Index of the completion event; Infinity when indeterminate. */
  readonly ret: number;
  /** Source line of the invocation and completion, when the history came from a file. */
  readonly callLine?: number;
  readonly retLine?: number;
}

export interface BuildOptions {
  readonly source?: SourceMap;
  /** Check every value against the model's shapes (off only for trusted, generated histories). */
  readonly validate?: boolean;
  /** How reads are read (checker/lincheck/semantics.ts); default 'porcupine'. */
  readonly semantics?: Semantics;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Open {
  readonly event: number;
  readonly f: string;
  readonly key: string | undefined;
  readonly input: HistoryValue;
}

export function buildOperations<S>(
  events: readonly HistoryEvent[],
  model: SeqModel<S>,
  options: BuildOptions = {},
): Operation[] {
  const validate = options.validate ?? true;
  const knossos = options.semantics === 'knossos';
  const source = options.source;
  const open = new Map<number, Open>();
  // Operations are kept in invocation order so ids follow the history.
  const slots: (Mutable<Operation> | null | undefined)[] = [];
  const slotOf = new Map<number, number>();
  const lineOf = (i: number): number | undefined => source?.lines?.[i];

  const finish = (process: number, o: Open, output: Output, ret: number): void => {
    const slot = slotOf.get(process)!;
    slots[slot] = {
      id: -1,
      process,
      f: o.f,
      key: o.key,
      input: o.input,
      output,
      call: o.event,
      ret,
      callLine: lineOf(o.event),
      retLine: ret === Infinity ? undefined : lineOf(ret),
    };
    open.delete(process);
    slotOf.delete(process);
  };

  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const spec = model.ops[e.f];
    if (spec === undefined) {
      throw new HistoryError(
        `${where(source, i)}: unknown operation '${e.f}': the ${model.name} model knows ${Object.keys(model.ops).join(', ')}`,
      );
    }
    const pending = open.get(e.process);
    if (e.type === 'invoke') {
      if (pending !== undefined) {
        throw new HistoryError(
          `${where(source, i)}: process ${e.process} invokes ${e.f} while its ${pending.f} from ${where(source, pending.event)} has not completed`,
        );
      }
      // Knossos never looks at a read's invocation value.
      const input = knossos && spec.readsValue ? null : e.value;
      if (validate) checkShape(spec.input, input, () => `${where(source, i)}: ${e.f} invocation value`);
      open.set(e.process, { event: i, f: e.f, key: e.key, input });
      slotOf.set(e.process, slots.length);
      slots.push(undefined);
      continue;
    }
    if (pending === undefined) {
      throw new HistoryError(`${where(source, i)}: a ${e.type} ${e.f} for process ${e.process} with no invocation before it`);
    }
    if (pending.f !== e.f) {
      throw new HistoryError(
        `${where(source, i)}: process ${e.process} completes ${e.f} but its open operation is ${pending.f} (${where(source, pending.event)})`,
      );
    }
    if (e.type === 'ok') {
      if (validate) checkShape(spec.output, e.value, () => `${where(source, i)}: ${e.f} completion value`);
      // Knossos: a read of nil says nothing about the state ("we don't know what the read was").
      finish(e.process, pending, knossos && spec.nilMatchesAny && e.value === null ? UNKNOWN : e.value, i);
    } else if (e.type === 'info') {
      finish(e.process, pending, UNKNOWN, Infinity);
    } else {
      slots[slotOf.get(e.process)!] = null;
      open.delete(e.process);
      slotOf.delete(e.process);
    }
  }
  for (const [process, o] of [...open]) finish(process, o, UNKNOWN, Infinity);

  const ops: Operation[] = [];
  for (const op of slots) {
    if (!op) continue;
    op.id = ops.length;
    ops.push(op);
  }
  return ops;
}

function checkShape(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: readonly { message: string }[] } } },
  value: HistoryValue,
  context: () => string,
): void {
  const r = schema.safeParse(value);
  if (!r.success) {
    const why = r.error?.issues[0]?.message ?? 'wrong shape';
    throw new HistoryError(`${context()} ${showValue(value)} has the wrong shape: ${why}`);
  }
}
