/**
 * Random histories from a simulated concurrent execution: each operation is
 * invoked, takes effect atomically on a true store at some later step, and returns
 * later still, so the history is linearizable; some clients crash (`info`) or never
 * return, some operations fail without effect. Corruption then changes one
 * completion value, which usually (not always) breaks linearizability.
 */
import fc from 'fast-check';
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';

export type Flavor = 'cas-register' | 'kv' | 'register0';

interface Pending {
  readonly f: string;
  readonly key: string | undefined;
  readonly input: HistoryValue;
  output?: HistoryValue;
}

export const historyArbitrary = (flavor: Flavor): fc.Arbitrary<HistoryEvent[]> =>
  fc
    .record({
      clients: fc.integer({ min: 1, max: 4 }),
      steps: fc.array(fc.tuple(fc.nat(7), fc.nat(40)), { minLength: 1, maxLength: 22 }),
      corrupt: fc.option(fc.tuple(fc.nat(50), fc.nat(4)), { nil: undefined }),
    })
    .map(({ clients, steps, corrupt }) => simulate(flavor, clients, steps, corrupt));

function simulate(flavor: Flavor, clients: number, steps: [number, number][], corrupt?: [number, number]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const store = new Map<string | undefined, HistoryValue>();
  const init: HistoryValue = flavor === 'kv' ? '' : flavor === 'register0' ? 0 : null;
  const read = (k: string | undefined): HistoryValue => (store.has(k) ? store.get(k)! : init);
  const pending = new Map<number, Pending>();
  const process = Array.from({ length: clients }, (_, i) => i);
  let nextProcess = clients;
  let opsLeft = 8;

  for (const [who, r] of steps) {
    const slot = who % clients;
    const p = process[slot];
    const op = pending.get(p);
    if (op === undefined) {
      if (opsLeft-- <= 0) continue;
      const key = flavor === 'kv' ? String(r % 2) : undefined;
      const v = r % 3;
      const kind = r % 5;
      let f: string;
      let input: HistoryValue;
      if (flavor === 'kv') {
        [f, input] = kind < 2 ? ['get', null] : kind < 3 ? ['put', `${v}`] : ['append', `${v}`];
      } else if (flavor === 'cas-register' && kind >= 3) {
        [f, input] = ['cas', [v, (r >> 2) % 3]];
      } else {
        [f, input] = kind < 2 ? ['read', null] : ['write', v];
      }
      pending.set(p, { f, key, input });
      events.push({ process: p, type: 'invoke', f, value: input, ...(key !== undefined ? { key } : {}) });
    } else if (op.output === undefined && r % 7 !== 0) {
      op.output = effect(op, read(op.key), (v) => store.set(op.key, v));
    } else if (op.output === undefined) {
      // fails before taking effect: did not happen
      pending.delete(p);
      events.push({ process: p, type: 'fail', f: op.f, value: op.input, ...(op.key !== undefined ? { key: op.key } : {}) });
    } else if (r % 11 === 0) {
      // crashes after taking effect: the client never learns the outcome
      pending.delete(p);
      events.push({ process: p, type: 'info', f: op.f, value: op.input, ...(op.key !== undefined ? { key: op.key } : {}) });
      process[slot] = nextProcess++;
    } else {
      pending.delete(p);
      events.push({ process: p, type: 'ok', f: op.f, value: op.output, ...(op.key !== undefined ? { key: op.key } : {}) });
    }
  }
  if (corrupt) {
    const oks = events.map((e, i) => [e, i] as const).filter(([e]) => e.type === 'ok');
    if (oks.length > 0) {
      const [e, i] = oks[corrupt[0] % oks.length];
      let value: HistoryValue = e.value;
      if (e.f === 'read') value = corrupt[1] % 4 === 3 ? null : corrupt[1] % 3;
      else if (e.f === 'get') value = ['', '0', '1', '01', '2'][corrupt[1] % 5];
      else if (e.f === 'cas') value = e.value === false ? [0, 0] : false;
      events[i] = { ...e, value };
    }
  }
  return events;
}

function effect(op: Pending, current: HistoryValue, set: (v: HistoryValue) => void): HistoryValue {
  switch (op.f) {
    case 'read':
    case 'get':
      return current;
    case 'write':
    case 'put':
      set(op.input);
      return op.input;
    case 'append':
      set(`${current as string}${op.input as string}`);
      return op.input;
    case 'cas': {
      const [from, to] = op.input as [HistoryValue, HistoryValue];
      if (current !== from) return false;
      set(to);
      return op.input;
    }
    default:
      throw new Error(`unexpected ${op.f}`);
  }
}
