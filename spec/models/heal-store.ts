/**
 * One key of the HEAL store: a read/write register. A `scope-end` closes a
 * persistency scope; it changes nothing a client can read, so it is always legal.
 */
import { type SeqModel } from './types.ts';
import { anyValue } from './values.ts';
import { registerOps } from './register.ts';
import type { HistoryValue } from '../history.ts';

export function healStoreModel(initial: HistoryValue = 0): SeqModel<HistoryValue> {
  return {
    name: 'heal',
    init: () => initial,
    ops: {
      ...registerOps,
      'scope-end': {
        input: anyValue,
        output: anyValue,
        step: (s) => s,
        describe: () => 'scope-end()',
      },
    },
  };
}
