/**
 * Sentences for the anomalies found by the distinct-values algorithm
 * (unique-register.ts) or named after a search (classify.ts): each names the
 * values and the operations that pin them.
 */
import { showValue, type SeqModel } from '../../spec/models/types.ts';
import { describeOperation } from './explain.ts';
import type { Anomaly } from './unique-register.ts';

export function formatAnomaly<S>(model: SeqModel<S>, a: Anomaly, key: string | undefined): string[] {
  const v = showValue(a.value);
  const w = a.other === undefined ? '' : showValue(a.other);
  const on = key === undefined ? '' : ` on key ${JSON.stringify(key)}`;
  const ops = [...new Set(a.ops)].map((op) => `  ${describeOperation(model, op)}`);
  switch (a.kind) {
    case 'never-written':
      return [`not linearizable${on}: a read of a value never written (${v} is neither written nor the initial value):`, ...ops];
    case 'cas-from-never-held':
      return [`not linearizable${on}: a CAS from a value never held (${v} is neither written nor the initial value):`, ...ops];
    case 'stale-read':
      return [
        `not linearizable${on}: a stale read. The read below returned ${v}, but every write of ${v} had returned before the write of ${w}`,
        `began, and that write returned before the read began:`,
        ...ops,
      ];
    case 'read-before-write':
      return [`not linearizable${on}: a read of ${v} returned before the write of ${v} was invoked:`, ...ops];
    case 'overlapping-values':
      return [
        `not linearizable${on}: a stale read or a lost write. ${v} and ${w} are each written once, yet ${v} must hold from the first`,
        `operation below returning until the second is invoked, and ${w} from the third returning until the fourth is invoked;`,
        `the two spans overlap, so one of the values was read after the other had replaced it:`,
        ...ops,
      ];
    case 'value-inside-another':
      return [
        `not linearizable${on}: a stale read or a lost write. ${w} must hold from the first operation below returning until the last`,
        `is invoked, yet ${v} was written and read entirely within that span (the operations between):`,
        ...ops,
      ];
  }
}
