/**
 * One key of the HEAL store: a read/write register. A `scope-end` closes a
 * persistency scope; it changes nothing a client can read, so it is always legal.
 */
import { ILLEGAL, UNKNOWN, sameValue, showValue, type SeqModel } from './types.ts';
import { anyValue, nothing, scalar } from './values.ts';
import type { HistoryValue } from '../history.ts';

export function healStoreModel(initial: HistoryValue = 0): SeqModel<HistoryValue> {
  return {
    name: 'heal',
    init: () => initial,
    ops: {
      read: {
        input: nothing,
        output: scalar,
        step: (s, _in, out) => (out === UNKNOWN || sameValue(out, s) ? s : ILLEGAL),
        describe: (_in, out) => `read() -> ${showValue(out)}`,
      },
      write: {
        input: scalar,
        output: anyValue,
        step: (_s, value) => value,
        describe: (value) => `write(${showValue(value)})`,
      },
      'scope-end': {
        input: anyValue,
        output: anyValue,
        step: (s) => s,
        describe: () => 'scope-end()',
      },
    },
  };
}
