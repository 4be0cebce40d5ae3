/**
 * Registers whose writes all write distinct values (the common Jepsen case) are
 * decided in O(n log n), without search (Gibbons and Korach, "Testing shared
 * memories", SIAM J. Comput. 1997; the zone formulation of Golab, Li and Shah,
 * PODC 2011). Each value v has a cluster: its write and the reads that returned
 * it. Let f = the earliest completion in the cluster and s = the latest
 * invocation. If f < s, the cluster's zone [f, s] is *forward*: v's write must
 * take effect before f and its last read after s, so no other value's write can
 * be placed inside it. Otherwise the zone [s, f] is *backward*: everything in the
 * cluster can take effect at one instant. The history is linearizable iff every
 * read returns a value written by a write invoked before the read returned, no
 * two forward zones overlap, and no backward zone lies inside a forward zone.
 *
 * The initial value is a write that completed before the history began. A write
 * that never returned (:info) and whose value nobody read is dropped (it may not
 * have happened); one whose value was read happened, at some time after its
 * invocation. A read that constrains nothing (never returned, or a Knossos nil
 * read) is dropped. Anything else, and a value written twice, is left to the
 * general search.
 */
import { UNKNOWN, showValue, type SeqModel } from '../../spec/models/types.ts';
import type { HistoryValue } from '../../spec/history.ts';
import type { Operation } from './operation.ts';

/** Why a history with distinct written values is not linearizable, with the operations involved. */
export interface Anomaly {
  readonly kind: 'never-written' | 'read-before-write' | 'overlapping-values' | 'value-inside-another' | 'stale-read' | 'cas-from-never-held';
  /** The operations the sentence names, in its order. */
  readonly ops: readonly Operation[];
  readonly value: HistoryValue;
  readonly other?: HistoryValue;
}

export type UniqueVerdict =
  | { readonly verdict: 'ok' }
  | { readonly verdict: 'illegal'; readonly anomaly: Anomaly }
  | { readonly verdict: 'not-applicable' };

interface Cluster {
  readonly value: HistoryValue;
  /** Earliest completion (write or read), and the operation that completed then. */
  finish: number;
  finishOp: Operation | undefined;
  /** Latest invocation, and the operation invoked then. */
  start: number;
  startOp: Operation | undefined;
}

const NOT_APPLICABLE: UniqueVerdict = { verdict: 'not-applicable' };

export function checkUniqueRegister<S>(ops: readonly Operation[], model: SeqModel<S>): UniqueVerdict {
  const reg = model.register;
  if (reg === undefined) return NOT_APPLICABLE;
  const clusters = new Map<string, Cluster>();
  const init = model.init() as unknown as HistoryValue;
  // The initial value: written and completed before the first event (event indices start at 0).
  clusters.set(showValue(init), { value: init, finish: -1, finishOp: undefined, start: -1, startOp: undefined });
  const illegal = (anomaly: Anomaly): UniqueVerdict => ({ verdict: 'illegal', anomaly });
  const join = (c: Cluster, op: Operation): void => {
    if (op.ret < c.finish) {
      c.finish = op.ret;
      c.finishOp = op;
    }
    if (op.call > c.start) {
      c.start = op.call;
      c.startOp = op;
    }
  };
  const writes: Operation[] = [];
  const reads: Operation[] = [];
  for (const op of ops) {
    if (op.f === reg.write) writes.push(op);
    else if (op.f === reg.read) reads.push(op);
    else return NOT_APPLICABLE;
  }
  const writeOf = new Map<string, Operation>();
  for (const w of writes) {
    const key = showValue(w.input);
    if (clusters.has(key) || writeOf.has(key)) return NOT_APPLICABLE;
    writeOf.set(key, w);
  }
  for (const r of reads) {
    if (r.output === UNKNOWN) continue;
    const key = showValue(r.output);
    const w = writeOf.get(key);
    if (w !== undefined) {
      if (r.ret < w.call) return illegal({ kind: 'read-before-write', ops: [r, w], value: r.output as HistoryValue });
      let c = clusters.get(key);
      if (c === undefined) {
        c = { value: w.input, finish: w.ret, finishOp: w, start: w.call, startOp: w };
        clusters.set(key, c);
      }
      join(c, r);
    } else {
      const c = clusters.get(key);
      if (c === undefined) return illegal({ kind: 'never-written', ops: [r], value: r.output as HistoryValue });
      join(c, r);
    }
  }
  // Completed writes nobody read still take effect; unread writes that never returned may not have.
  for (const [key, w] of writeOf) {
    if (!clusters.has(key) && w.ret !== Infinity) clusters.set(key, { value: w.input, finish: w.ret, finishOp: w, start: w.call, startOp: w });
  }

  const forward: Cluster[] = [];
  const backward: Cluster[] = [];
  for (const c of clusters.values()) (c.finish < c.start ? forward : backward).push(c);
  forward.sort((a, b) => a.finish - b.finish);
  const named = (...ops: (Operation | undefined)[]): Operation[] => ops.filter((op): op is Operation => op !== undefined);
  for (let i = 1; i < forward.length; i++) {
    const [a, b] = [forward[i - 1], forward[i]];
    if (b.finish < a.start) {
      return illegal({ kind: 'overlapping-values', ops: named(a.finishOp, a.startOp, b.finishOp, b.startOp), value: a.value, other: b.value });
    }
  }
  for (const c of backward) {
    const [s, f] = [c.start, c.finish];
    // The only forward zone that can contain [s, f]: the last one starting before s.
    let lo = 0;
    let hi = forward.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (forward[mid].finish < s) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at >= 0 && f < forward[at].start) {
      const z = forward[at];
      return illegal({ kind: 'value-inside-another', ops: named(z.finishOp, c.startOp, c.finishOp, z.startOp), value: c.value, other: z.value });
    }
  }
  return { verdict: 'ok' };
}
