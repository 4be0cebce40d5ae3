/**
 * Knossos's queues: enqueue v; dequeue returns a value. The unordered queue lets
 * a dequeue take any pending value (a multiset), the FIFO queue only the oldest.
 *
 * A dequeue that never returned (:info) is stepped as Knossos steps it, with its
 * invocation value (normally nil, which no queue holds): it can only not have
 * happened. That is Knossos's verdict, not the only defensible one: a timed-out
 * dequeue may have taken a value, which one step function cannot say.
 */
import type { HistoryValue } from '../history.ts';
import { ILLEGAL, UNKNOWN, sameValue, showValue, type Output, type SeqModel } from './types.ts';
import { anyValue, scalar } from './values.ts';

type Pending = readonly HistoryValue[];

const dequeued = (input: HistoryValue, out: Output): HistoryValue => (out === UNKNOWN ? input : out);
const text = (q: Pending): string => q.map(showValue).join(' ');

function queueModel(name: string, fifo: boolean): SeqModel<Pending> {
  return {
    name,
    init: () => [],
    ops: {
      enqueue: {
        input: scalar,
        output: anyValue,
        step: (q, v) => (fifo ? [...q, v] : [...q, v].sort((a, b) => (showValue(a) < showValue(b) ? -1 : showValue(a) > showValue(b) ? 1 : 0))),
        describe: (v) => `enqueue(${showValue(v)})`,
      },
      dequeue: {
        input: anyValue,
        output: scalar,
        step: (q, input, out) => {
          const v = dequeued(input, out);
          if (fifo) return q.length > 0 && sameValue(q[0], v) ? q.slice(1) : ILLEGAL;
          const i = q.findIndex((x) => sameValue(x, v));
          return i < 0 ? ILLEGAL : [...q.slice(0, i), ...q.slice(i + 1)];
        },
        describe: (_in, out) => `dequeue() -> ${showValue(out)}`,
      },
    },
    stateKey: text,
    describeState: (q) => `[${text(q)}]`,
  };
}

export const unorderedQueueModel = (): SeqModel<Pending> => queueModel('unordered-queue', false);
export const fifoQueueModel = (): SeqModel<Pending> => queueModel('fifo-queue', true);
