/**
 * Knossos's MultiRegister: one operation, txn, whose value is a list of
 * micro-operations [f k v] over named registers, applied in order: [:write k v]
 * sets k; [:read k v] requires k to hold v, except that a read of nil is always
 * legal. A completed txn is stepped with its completion's value (the reads filled
 * in), one that never returned with its invocation's (reads nil). Keys are
 * compared by their text, so 1 and "1" name one register.
 */
import { z } from 'zod';
import type { HistoryValue } from '../history.ts';
import { ILLEGAL, UNKNOWN, sameValue, showValue, type SeqModel } from './types.ts';
import { scalar } from './values.ts';

/** Register values by key text, sorted by key so equal states have one key. */
type Registers = readonly (readonly [string, HistoryValue])[];

const microOp = z.tuple([z.enum(['read', 'write', 'r', 'w']), z.union([z.string(), z.number(), z.bigint()]), scalar], {
  error: 'expected a micro-operation [f k v] with f :read or :write',
});
const txn = z.array(microOp, { error: 'expected a transaction: a vector of [f k v] micro-operations' });

function get(s: Registers, k: string): HistoryValue {
  for (const [key, v] of s) if (key === k) return v;
  return null;
}

function set(s: Registers, k: string, v: HistoryValue): Registers {
  const out = s.filter(([key]) => key !== k);
  out.push([k, v]);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function multiRegisterModel(initial: Record<string, HistoryValue> = {}): SeqModel<Registers> {
  const start = Object.keys(initial)
    .sort()
    .map((k) => [k, initial[k]] as const);
  return {
    name: 'multi-register',
    init: () => start,
    ops: {
      txn: {
        input: txn,
        output: txn,
        step: (s, input, out) => {
          let state = s;
          for (const [f, k, v] of (out === UNKNOWN ? input : out) as [string, HistoryValue, HistoryValue][]) {
            const key = String(k);
            if (f === 'write' || f === 'w') state = set(state, key, v);
            else if (v !== null && !sameValue(get(state, key), v)) return ILLEGAL;
          }
          return state;
        },
        describe: (input, out) => `txn(${showMicroOps(out === UNKNOWN ? input : out)})${out === UNKNOWN ? ' -> ?' : ''}`,
      },
    },
    stateKey: (s) => s.map(([k, v]) => `${k}=${showValue(v)}`).join(' '),
    describeState: (s) => `{${s.map(([k, v]) => `${k} ${showValue(v)}`).join(', ')}}`,
  };
}

function showMicroOps(ops: HistoryValue): string {
  return (ops as HistoryValue[][]).map(([f, k, v]) => `[${String(f)} ${showValue(k)} ${showValue(v)}]`).join(' ');
}
