/**
 * A worker thread of `heal lincheck --workers N`: checks its share of the partitions with
 * the same two passes and step schedule as one thread (rounds.ts), and reports each round
 * it completes, so that the coordinator can tell which partition one thread would have
 * found illegal first.
 */
import { parentPort } from 'node:worker_threads';
import { loadSeqModel } from './load-seq-model.ts';
import { fastPass, RoundRobin } from './rounds.ts';
import { unpackPartition, type FromWorker, type WorkerWork } from './parallel-protocol.ts';
import type { Partition } from './partition.ts';

const port = parentPort!;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

// Started before the history is read (parallel.ts WorkerPool): the work comes when it is partitioned.
const setup = await new Promise<WorkerWork>((resolve) => port.once('message', resolve));
const model = await loadSeqModel(setup.model);
const mine = setup.parts.map(unpackPartition);
const decided = fastPass(mine, model, setup.uniqueFrom);
const illegal: number[] = [];
const which: number[] = [];
const byIndex: Partition[] = new Array(setup.partitions);
setup.parts.forEach((p, k) => {
  byIndex[p.index] = mine[k];
  if (decided[k]?.verdict === 'illegal') illegal.push(p.index);
  else if (decided[k]?.verdict !== 'ok') which.push(p.index);
});
send({ type: 'fast', decided: decided.filter((d) => d !== undefined && d.verdict !== 'not-applicable').length, illegal });
if (illegal.length === 0) {
  // This thread's clock: the deadline was set as epoch milliseconds.
  const deadline = setup.deadline - performance.timeOrigin;
  const rounds = new RoundRobin(byIndex, which.sort((a, b) => a - b), model, deadline, setup.memoryLimit);
  for (;;) {
    const e = rounds.next();
    if (e.kind === 'round-done') {
      send({ type: 'round-done', round: e.round });
      continue;
    }
    if (e.kind === 'illegal') send({ type: 'illegal', part: e.part, round: e.round });
    else if (e.kind === 'unknown') send({ type: 'unknown', part: e.part, reason: e.reason });
    else {
      const orders: [number, Int32Array][] = which.map((i) => [i, Int32Array.from(rounds.order(i))]);
      send({ type: 'ok', orders }, orders.map(([, o]) => o.buffer as ArrayBuffer));
    }
    break;
  }
}
