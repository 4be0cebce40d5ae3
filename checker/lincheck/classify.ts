/**
 * Names the classic anomaly behind a failure the search found, when it is one:
 * a read of a value never written, a CAS from a value never held, or a stale
 * read (every write of the value read had returned before another write began,
 * and that one returned before the read began). Register-like models only
 * (SeqModel.register); a write is any operation that can set a value: the
 * register's write, and a cas [from to] that completed.
 */
import { UNKNOWN, sameValue, type SeqModel } from '../../spec/models/types.ts';
import type { HistoryValue } from '../../spec/history.ts';
import type { Operation } from './operation.ts';
import type { Anomaly } from './unique-register.ts';

export function classifyFailure<S>(ops: readonly Operation[], model: SeqModel<S>, blocked: Operation): Anomaly | undefined {
  const reg = model.register;
  if (reg === undefined || blocked.output === UNKNOWN) return undefined;
  const init = model.init() as unknown as HistoryValue;
  /** The value an operation may set, if it sets one. */
  const sets = (op: Operation): HistoryValue | undefined => {
    if (op.f === reg.write) return op.input;
    if (op.f === 'cas' && Array.isArray(op.input) && op.output !== false) return op.input[1];
    return undefined;
  };
  const writersOf = (v: HistoryValue): Operation[] => ops.filter((op) => op.id !== blocked.id && sets(op) !== undefined && sameValue(sets(op)!, v));
  const written = (v: HistoryValue): boolean => sameValue(v, init) || writersOf(v).length > 0;

  if (blocked.f === 'cas' && Array.isArray(blocked.input) && blocked.output !== false) {
    const from = blocked.input[0];
    return written(from) ? undefined : { kind: 'cas-from-never-held', ops: [blocked], value: from };
  }
  if (blocked.f !== reg.read) return undefined;
  const v = blocked.output;
  if (!written(v)) return { kind: 'never-written', ops: [blocked], value: v };
  const sources = writersOf(v);
  const lastSourceRet = Math.max(sameValue(v, init) ? -1 : -Infinity, ...sources.map((op) => op.ret));
  const lastSourceCall = Math.max(sameValue(v, init) ? -1 : -Infinity, ...sources.map((op) => op.call));
  const overwrite = ops.find((op) => {
    const w = sets(op);
    return w !== undefined && !sameValue(w, v) && op.call > lastSourceRet && op.call > lastSourceCall && op.ret < blocked.call;
  });
  if (overwrite === undefined) return undefined;
  return { kind: 'stale-read', ops: [...sources.filter((op) => op.ret === lastSourceRet), overwrite, blocked], value: v, other: sets(overwrite) };
}
