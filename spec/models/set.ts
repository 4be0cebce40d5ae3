/**
 * A grow-only set, as Knossos's Set: add v, and read, which must return exactly
 * the set's members (an EDN set #{...} or a vector; order and repeats ignored).
 * The state is the members sorted by their canonical text, so equal sets have
 * one key.
 */
import { z } from 'zod';
import type { HistoryValue } from '../history.ts';
import { ILLEGAL, UNKNOWN, showValue, type SeqModel } from './types.ts';
import { anyValue, scalar } from './values.ts';

type Members = readonly HistoryValue[];

/** Distinct members sorted by canonical text. */
function canonical(values: readonly HistoryValue[]): Members {
  const byText = new Map<string, HistoryValue>();
  for (const v of values) byText.set(showValue(v), v);
  return [...byText.keys()].sort().map((k) => byText.get(k)!);
}

const text = (s: Members): string => s.map(showValue).join(' ');

export function setModel(): SeqModel<Members> {
  return {
    name: 'set',
    init: () => [],
    ops: {
      add: {
        input: scalar,
        output: anyValue,
        step: (s, v) => canonical([...s, v]),
        describe: (v) => `add(${showValue(v)})`,
      },
      read: {
        input: anyValue,
        output: z.array(scalar, { error: 'expected the set read, e.g. #{1 2} or [1 2]' }),
        step: (s, _in, out) => (out === UNKNOWN || text(canonical(out as HistoryValue[])) === text(s) ? s : ILLEGAL),
        describe: (_in, out) => `read() -> ${out === UNKNOWN ? '?' : `#{${text(canonical(out as HistoryValue[]))}}`}`,
        readsValue: true,
      },
    },
    stateKey: text,
    describeState: (s) => `#{${text(s)}}`,
  };
}
