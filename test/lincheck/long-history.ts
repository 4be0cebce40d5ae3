/**
 * Long single-register histories from a simulated correct register: C clients,
 * random latencies (an operation takes effect at a random step between its
 * invocation and its return), every write a distinct value. Linearizable unless
 * `staleAt` makes the first read invoked at or after that position return the
 * value of a write W1 that returned before another write W2 was invoked, W2
 * having returned before the read began: W1 < W2 < read in every order, so no
 * order explains it.
 * With `keys` > 1 each operation picks a key (a register of its own, the key a
 * string "0".."keys-1"), and the stale read returns a value of its own key.
 * Deterministic for a seed. Used by the scale tests and bench/lincheck-gen.ts.
 */
import type { HistoryEvent } from '../../spec/history.ts';

export interface LongHistoryOptions {
  readonly ops: number;
  readonly clients?: number;
  readonly seed?: number;
  /** Number of the read (in invocation order) that returns a stale value. */
  readonly staleAt?: number;
  /** Fraction (0-1) of operations that end in :info (never return). */
  readonly infoRate?: number;
  /** Number of keys (default 1: a single register, events without a key). */
  readonly keys?: number;
}

export function longRegisterHistory(o: LongHistoryOptions): HistoryEvent[] {
  const clients = o.clients ?? 5;
  let seed = (o.seed ?? 1) >>> 0 || 1;
  const rand = (n: number): number => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed % n;
  };
  interface Open {
    readonly f: 'read' | 'write';
    readonly value: number | null;
    readonly n: number;
    readonly key: number;
    applied: boolean;
    result?: number | null;
    stale?: number;
    call: number;
  }
  const open = new Map<number, Open>();
  const process = Array.from({ length: clients }, (_, i) => i);
  let nextProcess = clients;
  const keys = o.keys ?? 1;
  const register: (number | null)[] = new Array(keys).fill(null);
  // Completed writes of each key as [invocation event, return event, value], in return order.
  const completedOf: [number, number, number][][] = Array.from({ length: keys }, () => []);
  let injected = false;
  let invoked = 0;
  let nextValue = 1;
  const events: HistoryEvent[] = [];
  const staleAtOpt = o.staleAt;
  const infoEvery = o.infoRate ? Math.round(1 / o.infoRate) : 0;
  while (invoked < o.ops || open.size > 0) {
    const slot = rand(clients);
    const p = process[slot];
    const op = open.get(p);
    if (op === undefined) {
      if (invoked >= o.ops) continue;
      const f = rand(2) === 0 ? 'read' : 'write';
      const value = f === 'write' ? nextValue++ : null;
      // Drawn only with several keys, so that single-register histories stay what they were.
      const key = keys > 1 ? rand(keys) : 0;
      const fresh: Open = { f, value, n: invoked++, key, applied: false, call: events.length };
      const completed = completedOf[key];
      if (f === 'read' && fresh.n >= (staleAtOpt ?? Infinity) && !injected && completed.length > 0) {
        const w2 = completed[completed.length - 1];
        const w1 = completed.find(([, ret]) => ret < w2[0]);
        if (w1 !== undefined) {
          injected = true;
          fresh.stale = w1[2];
        }
      }
      open.set(p, fresh);
      events.push(keys > 1 ? { process: p, type: 'invoke', f, key: String(key), value } : { process: p, type: 'invoke', f, value });
    } else if (!op.applied) {
      op.applied = true;
      if (op.f === 'write') register[op.key] = op.value;
      else op.result = op.stale ?? register[op.key];
    } else if (rand(2) === 0) {
      open.delete(p);
      const key = keys > 1 ? { key: String(op.key) } : {};
      if (infoEvery > 0 && op.n % infoEvery === infoEvery - 1) {
        events.push({ process: p, type: 'info', f: op.f, ...key, value: op.value });
        process[slot] = nextProcess++; // Jepsen gives a crashed client's slot a new process
      } else {
        if (op.f === 'write') completedOf[op.key].push([op.call, events.length, op.value!]);
        events.push({ process: p, type: 'ok', f: op.f, ...key, value: op.f === 'write' ? op.value : op.result! });
      }
    }
  }
  return events;
}
