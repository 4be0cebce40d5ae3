/** A single read/write register. */
import { ILLEGAL, UNKNOWN, sameValue, showValue, type OpSpec, type SeqModel } from './types.ts';
import { anyValue, nothing, scalar } from './values.ts';
import type { HistoryValue } from '../history.ts';

/** read and write over a register state: shared by every register-like model. */
export const registerOps: Record<'read' | 'write', OpSpec<HistoryValue>> = {
  read: {
    input: nothing,
    output: scalar,
    step: (s, _in, out) => (out === UNKNOWN || sameValue(out, s) ? s : ILLEGAL),
    describe: (_in, out) => `read() -> ${showValue(out)}`,
    readsValue: true,
    nilMatchesAny: true,
  },
  write: {
    input: scalar,
    output: anyValue,
    step: (_s, value) => value,
    describe: (value) => `write(${showValue(value)})`,
  },
};

export function registerModel(initial: HistoryValue = null): SeqModel<HistoryValue> {
  return { name: 'register', init: () => initial, ops: registerOps, register: { read: 'read', write: 'write' } };
}
