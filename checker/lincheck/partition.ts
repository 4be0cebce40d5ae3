/**
 * P-compositionality: operations on different keys are independent objects, so a
 * history is linearizable if and only if each key's sub-history is. Checking the
 * parts alone turns one exponential search into several small ones.
 */
import type { Operation } from './operation.ts';

export interface Partition {
  /** undefined for operations without a key (a single register). */
  readonly key: string | undefined;
  /** Renumbered 0..n-1 within the partition; `id` of each still refers to the whole history. */
  readonly ops: readonly Operation[];
}

export function partitionByKey(ops: readonly Operation[]): Partition[] {
  const byKey = new Map<string | undefined, Operation[]>();
  for (const op of ops) {
    let list = byKey.get(op.key);
    if (list === undefined) {
      list = [];
      byKey.set(op.key, list);
    }
    list.push(op);
  }
  return [...byKey].map(([key, list]) => ({ key, ops: list }));
}
