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

export type UniqueVerdict = 'ok' | 'illegal' | 'not-applicable';

interface Cluster {
  /** Earliest completion (write or read). */
  finish: number;
  /** Latest invocation. */
  start: number;
  written: boolean;
  readers: number;
}

export function checkUniqueRegister<S>(ops: readonly Operation[], model: SeqModel<S>): UniqueVerdict {
  const reg = model.register;
  if (reg === undefined) return 'not-applicable';
  const clusters = new Map<string, Cluster>();
  const init = model.init() as unknown as HistoryValue;
  // The initial value: written and completed before the first event (event indices start at 0).
  clusters.set(showValue(init), { finish: -1, start: -1, written: true, readers: 0 });
  const writes: Operation[] = [];
  const reads: Operation[] = [];
  for (const op of ops) {
    if (op.f === reg.write) writes.push(op);
    else if (op.f === reg.read) reads.push(op);
    else return 'not-applicable';
  }
  const writeOf = new Map<string, Operation>();
  for (const w of writes) {
    const key = showValue(w.input);
    if (clusters.has(key) || writeOf.has(key)) return 'not-applicable';
    writeOf.set(key, w);
  }
  for (const r of reads) {
    if (r.output === UNKNOWN) continue;
    const key = showValue(r.output);
    const w = writeOf.get(key);
    if (w !== undefined) {
      if (r.ret < w.call) return 'illegal'; // read a value before anyone began to write it
      let c = clusters.get(key);
      if (c === undefined) {
        c = { finish: w.ret, start: w.call, written: true, readers: 0 };
        clusters.set(key, c);
      }
      c.readers++;
      c.finish = Math.min(c.finish, r.ret);
      c.start = Math.max(c.start, r.call);
    } else {
      const c = clusters.get(key);
      if (c === undefined) return 'illegal'; // a value never written
      c.readers++;
      c.finish = Math.min(c.finish, r.ret);
      c.start = Math.max(c.start, r.call);
    }
  }
  // Completed writes nobody read still take effect; unread writes that never returned may not have.
  for (const [key, w] of writeOf) {
    if (!clusters.has(key) && w.ret !== Infinity) clusters.set(key, { finish: w.ret, start: w.call, written: true, readers: 0 });
  }

  const forward: [number, number][] = [];
  const backward: [number, number][] = [];
  for (const c of clusters.values()) {
    if (c.finish < c.start) forward.push([c.finish, c.start]);
    else backward.push([c.start, c.finish]);
  }
  forward.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < forward.length; i++) if (forward[i][0] < forward[i - 1][1]) return 'illegal';
  for (const [s, f] of backward) {
    // The only forward zone that can contain [s, f]: the last one starting before s.
    let lo = 0;
    let hi = forward.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (forward[mid][0] < s) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at >= 0 && f < forward[at][1]) return 'illegal';
  }
  return 'ok';
}
