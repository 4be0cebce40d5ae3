/**
 * A register with compare-and-set, as in Jepsen's etcd tests. A cas that returned
 * `false` completed without applying (the register did not hold FROM); any other
 * completion value (`true`, or Jepsen's echo `[from to]`) means it applied.
 */
import { ILLEGAL, UNKNOWN, sameValue, showValue, type SeqModel } from './types.ts';
import { anyValue, pair } from './values.ts';
import { registerOps } from './register.ts';
import type { HistoryValue } from '../history.ts';

export function casRegisterModel(initial: HistoryValue = null): SeqModel<HistoryValue> {
  return {
    name: 'cas-register',
    init: () => initial,
    // Only histories without cas qualify: checkUniqueRegister declines any other operation.
    register: { read: 'read', write: 'write' },
    ops: {
      ...registerOps,
      cas: {
        input: pair,
        output: anyValue,
        step: (s, input, out) => {
          const [from, to] = input as [HistoryValue, HistoryValue];
          const matches = sameValue(s, from);
          if (out === UNKNOWN) return matches ? to : s;
          const applied = out !== false;
          if (applied !== matches) return ILLEGAL;
          return matches ? to : s;
        },
        describe: (input, out) => {
          const [from, to] = input as [HistoryValue, HistoryValue];
          const verdict = out === UNKNOWN ? '?' : out === false ? 'fail' : 'ok';
          return `cas(${showValue(from)}, ${showValue(to)}) -> ${verdict}`;
        },
      },
    },
  };
}
