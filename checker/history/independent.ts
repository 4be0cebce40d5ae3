/**
 * Jepsen's `independent` tests run one register (or queue, ...) per key and
 * record each operation's value as a tuple [k v]. Keys are independent objects,
 * so the history is linearizable exactly when each key's is: the tuple is split
 * into the event's key and value, and the checker partitions by key. Opt-in
 * (--independent): a cas value [from to] looks just like a tuple.
 */
import type { HistoryEvent } from '../../spec/history.ts';
import { HistoryError, where, type SourceMap } from './errors.ts';
import { showValue } from '../../spec/models/types.ts';

export function splitIndependent(events: readonly HistoryEvent[], source?: SourceMap): HistoryEvent[] {
  return events.map((e, i) => {
    const v = e.value;
    if (!Array.isArray(v) || v.length !== 2 || Array.isArray(v[0])) {
      throw new HistoryError(`${where(source, i)}: --independent: expected the value to be a tuple [key value], got ${showValue(v)}`);
    }
    if (e.key !== undefined) throw new HistoryError(`${where(source, i)}: --independent: the event has a :key already (${e.key})`);
    return { ...e, key: String(v[0]), value: v[1] };
  });
}
