/**
 * One key of a string key-value store with get/put/append (Porcupine's kv test).
 * Keys are independent, so the checker runs it per key.
 */
import * as z from 'zod';
import { ILLEGAL, UNKNOWN, showValue, type SeqModel } from './types.ts';
import { anyValue, nothing } from './values.ts';

export function kvModel(initial = ''): SeqModel<string> {
  return {
    name: 'kv',
    init: () => initial,
    ops: {
      get: {
        input: nothing,
        output: z.string(),
        step: (s, _in, out) => (out === UNKNOWN || out === s ? s : ILLEGAL),
        describe: (_in, out) => `get() -> ${showValue(out)}`,
      },
      put: {
        input: z.string(),
        output: anyValue,
        step: (_s, value) => value as string,
        describe: (value) => `put(${showValue(value)})`,
      },
      append: {
        input: z.string(),
        output: anyValue,
        step: (s, value) => s + (value as string),
        describe: (value) => `append(${showValue(value)})`,
      },
    },
  };
}
