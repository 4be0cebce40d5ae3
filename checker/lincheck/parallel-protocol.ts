/**
 * What the coordinator (parallel.ts) and a partition worker (partition-worker.ts) say to
 * each other. Partitions travel in columns: typed arrays for the numbers (moved, not
 * copied) and plain arrays of values, because cloning a million small objects costs more
 * than checking them. The UNKNOWN output, a symbol, cannot be cloned: a flag marks it.
 */
import type { HistoryValue } from '../../spec/history.ts';
import { UNKNOWN } from '../../spec/models/types.ts';
import type { ModelRef } from '../model.ts';
import type { Operation } from './operation.ts';
import type { Partition } from './partition.ts';

export interface PackedPartition {
  readonly index: number;
  readonly key: string | undefined;
  readonly id: Int32Array;
  readonly process: Float64Array;
  readonly call: Float64Array;
  readonly ret: Float64Array;
  /** Index into `names` of each operation's f. */
  readonly f: Uint16Array;
  readonly names: string[];
  readonly input: HistoryValue[];
  readonly output: HistoryValue[];
  readonly unknown: Uint8Array;
}

/** The one message a worker receives: what to check and how. */
export interface WorkerWork {
  readonly parts: readonly PackedPartition[];
  /** The sequential model, built in each worker by checker/load-model.ts's rule (module, factory, config). */
  readonly model: ModelRef;
  /** How many partitions the history has; the worker's are those it is sent. */
  readonly partitions: number;
  readonly uniqueFrom: number;
  /** Epoch milliseconds (performance.timeOrigin + now), comparable across threads. */
  readonly deadline: number;
  readonly memoryLimit: number;
}

export type FromWorker =
  /** Partitions decided without search: how many, and the illegal ones (indices). */
  | { readonly type: 'fast'; readonly decided: number; readonly illegal: number[] }
  | { readonly type: 'round-done'; readonly round: number }
  | { readonly type: 'illegal'; readonly part: number; readonly round: number }
  | { readonly type: 'unknown'; readonly part: number; readonly reason: 'time' | 'memory' }
  /** Every partition linearizable: each searched one's order, as positions in its ops. */
  | { readonly type: 'ok'; readonly orders: [number, Int32Array][] };

export function packPartition(index: number, p: Partition): { packed: PackedPartition; transfer: ArrayBuffer[] } {
  const n = p.ops.length;
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const packed: PackedPartition = {
    index,
    key: p.key,
    id: new Int32Array(n),
    process: new Float64Array(n),
    call: new Float64Array(n),
    ret: new Float64Array(n),
    f: new Uint16Array(n),
    names,
    input: new Array(n),
    output: new Array(n),
    unknown: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const op = p.ops[k];
    let f = nameIndex.get(op.f);
    if (f === undefined) {
      f = names.length;
      names.push(op.f);
      nameIndex.set(op.f, f);
    }
    packed.id[k] = op.id;
    packed.process[k] = op.process;
    packed.call[k] = op.call;
    packed.ret[k] = op.ret;
    packed.f[k] = f;
    packed.input[k] = op.input;
    if (op.output === UNKNOWN) {
      packed.unknown[k] = 1;
      packed.output[k] = null;
    } else packed.output[k] = op.output;
  }
  const transfer = [packed.id, packed.process, packed.call, packed.ret, packed.f, packed.unknown].map((a) => a.buffer as ArrayBuffer);
  return { packed, transfer };
}

export function unpackPartition(p: PackedPartition): Partition {
  const ops: Operation[] = new Array(p.id.length);
  for (let k = 0; k < ops.length; k++) {
    ops[k] = {
      id: p.id[k],
      process: p.process[k],
      f: p.names[p.f[k]],
      key: p.key,
      input: p.input[k],
      output: p.unknown[k] === 1 ? UNKNOWN : p.output[k],
      call: p.call[k],
      ret: p.ret[k],
    };
  }
  return { key: p.key, ops };
}
