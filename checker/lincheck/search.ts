/**
 * Wing and Gong's search with Lowe's memoization, as Porcupine does it. Calls and
 * returns sit in one doubly linked list ordered by time. The search linearizes
 * the first call it can, lifting the call and its return out of the list; when it
 * reaches a return whose call is not linearized yet, it backtracks. A cache of
 * (set of linearized operations, model state) skips configurations already known
 * to lead nowhere.
 *
 * A search runs in slices (`run(steps)`) so that the partitions of a history can
 * be searched round-robin: the first one found illegal settles the verdict, even
 * when another partition alone would take exponential time. Everything lives in
 * typed arrays: the hot loop allocates nothing but the model's new states.
 */
import { ILLEGAL, type OpSpec, type Output, type SeqModel } from '../../spec/models/types.ts';
import type { HistoryValue } from '../../spec/history.ts';
import type { Operation } from './operation.ts';
import { Memo, WindowSet } from './memo.ts';

export type SearchResult =
  | { readonly kind: 'ok'; readonly order: number[] }
  | { readonly kind: 'illegal'; readonly longest: number[] }
  | { readonly kind: 'unknown'; readonly longest: number[] };

export interface SearchOptions {
  /** performance.now() value past which the search gives up with 'unknown'. */
  readonly deadline: number;
  /** Record the deepest partial linearization (copying only the part of the stack that changed). */
  readonly trackLongest: boolean;
  /** Bytes the search's cache may hold; past it the search gives up with 'unknown'. */
  readonly memoryLimitBytes?: number;
}

export type SliceResult = 'ok' | 'illegal' | 'pending';

/** Distinct model states kept for memoization before the search gives up (memory bound). */
const MAX_STATES = 4_000_000;
/** A JS Map entry and its key cost roughly this much; counted against the memory limit. */
const BYTES_PER_STATE = 80;
/** A pooled scratch keeps at most this much cache memory for the next search. */
const POOLED_MEMO_BYTES = 16 << 20;

const NIL = -1;
const HEAD = 0;

/** Zobrist keys: a bitset's hash is the XOR of the keys of its members, so it updates in O(1). */
let zobristA = new Int32Array(0);
let zobristB = new Int32Array(0);
function ensureZobrist(n: number): void {
  if (zobristA.length >= n) return;
  const size = Math.max(n, zobristA.length * 2, 64);
  const a = new Int32Array(size);
  const b = new Int32Array(size);
  // splitmix32 from a fixed seed: the same keys on every run, so the search order is reproducible.
  let x = 0x9e3779b9;
  const nextKey = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return z ^ (z >>> 16);
  };
  for (let i = 0; i < size; i++) {
    a[i] = nextKey();
    b[i] = nextKey();
  }
  zobristA = a;
  zobristB = b;
}

function mixState(id: number, salt: number): number {
  let z = Math.imul(id + salt, 0x9e3779b1);
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d);
  return z ^ (z >>> 12);
}

/**
 * The typed arrays of one search, recycled: the model checker runs this on
 * hundreds of thousands of tiny histories, where allocating a dozen typed arrays
 * per call would cost more than the search itself.
 */
class Scratch {
  readonly nextOf: Int32Array;
  readonly prevOf: Int32Array;
  readonly matchOf: Int32Array;
  readonly opOfEntry: Int32Array;
  readonly stackEntry: Int32Array;
  readonly callOrder: Int32Array;
  readonly retOrder: Int32Array;
  readonly callEntryOf: Int32Array;
  readonly retEntryOf: Int32Array;
  readonly indeterminate: Uint8Array;
  readonly set = new WindowSet();
  readonly memo = new Memo();
  readonly stateIds = new Map<unknown, number>();
  readonly stackState: unknown[] = [];

  constructor(readonly capacity: number) {
    const entries = 2 * capacity + 1;
    this.nextOf = new Int32Array(entries);
    this.prevOf = new Int32Array(entries);
    this.matchOf = new Int32Array(entries);
    this.opOfEntry = new Int32Array(entries);
    this.stackEntry = new Int32Array(capacity + 1);
    this.callOrder = new Int32Array(capacity);
    this.retOrder = new Int32Array(capacity);
    this.callEntryOf = new Int32Array(capacity);
    this.retEntryOf = new Int32Array(capacity);
    this.indeterminate = new Uint8Array(capacity);
    this.set.pos = new Int32Array(capacity);
    this.set.indeterminate = this.indeterminate;
  }
}

const pool: Scratch[] = [];
const POOL_SIZE = 8;

function acquire(n: number): Scratch {
  for (let i = pool.length - 1; i >= 0; i--) {
    if (pool[i].capacity >= n) {
      const s = pool[i];
      pool[i] = pool[pool.length - 1];
      pool.pop();
      return s;
    }
  }
  return new Scratch(Math.max(n, 16));
}

export class LinearizationSearch<S> {
  private readonly steps: OpSpec<S>['step'][];
  private readonly inputs: HistoryValue[];
  private readonly outputs: Output[];
  private readonly indeterminate: Uint8Array;
  private readonly nextOf: Int32Array;
  private readonly prevOf: Int32Array;
  private readonly matchOf: Int32Array;
  private readonly opOfEntry: Int32Array;
  private readonly stackEntry: Int32Array;
  private readonly stackState: S[];
  private readonly set: WindowSet;
  private readonly memo: Memo;
  private readonly maxStates: number;
  private readonly stateIds: Map<unknown, number>;
  private scratch: Scratch | undefined;
  private readonly stateKey: ((s: S) => unknown) | undefined;
  private depth = 0;
  private state: S;
  private setA = 0;
  private setB = 0;
  private entry: number;
  private done: SliceResult = 'pending';
  /** Set when the search stopped for lack of memory rather than time. */
  outOfMemory = false;
  /** Deepest partial linearization: its first deepestLen entries. */
  private deepest: number[] = [];
  private deepestLen = 0;
  /** The stack below this depth is unchanged since `deepest` was recorded. */
  private stable = 0;
  /** Bytes the cache held when the search ended (for memory tests and benchmarks). */
  memoBytes = 0;

  constructor(
    ops: readonly Operation[],
    model: SeqModel<S>,
    private readonly trackLongest = false,
    memoryLimitBytes = Infinity,
  ) {
    const n = ops.length;
    ensureZobrist(n);
    const scratch = acquire(n);
    this.scratch = scratch;
    this.steps = new Array(n);
    this.inputs = new Array(n);
    this.outputs = new Array(n);
    this.indeterminate = scratch.indeterminate;
    const callOrder = scratch.callOrder;
    const retOrder = scratch.retOrder;
    for (let i = 0; i < n; i++) {
      const op = ops[i];
      this.steps[i] = model.ops[op.f].step;
      this.inputs[i] = op.input;
      this.outputs[i] = op.output;
      this.indeterminate[i] = op.ret === Infinity ? 1 : 0;
      callOrder[i] = i;
      retOrder[i] = i;
    }
    sortByTime(callOrder, n, ops, false);
    sortByTime(retOrder, n, ops, true);
    let detCount = 0;
    let indCount = 0;
    const pos = scratch.set.pos;
    for (let c = 0; c < n; c++) {
      const op = callOrder[c];
      pos[op] = this.indeterminate[op] === 1 ? indCount++ : detCount++;
    }

    // Entry 0 is the head; entries 1..2n are calls and returns merged in time order.
    const size = 2 * n + 1;
    this.nextOf = scratch.nextOf;
    this.prevOf = scratch.prevOf;
    this.matchOf = scratch.matchOf;
    this.opOfEntry = scratch.opOfEntry;
    const callEntryOf = scratch.callEntryOf;
    const retEntryOf = scratch.retEntryOf;
    let entry = 1;
    let c = 0;
    let r = 0;
    while (c < n || r < n) {
      const takeCall = c < n && (r >= n || ops[callOrder[c]].call < ops[retOrder[r]].ret);
      const op = takeCall ? callOrder[c++] : retOrder[r++];
      this.opOfEntry[entry] = op;
      if (takeCall) callEntryOf[op] = entry;
      else retEntryOf[op] = entry;
      entry++;
    }
    for (let i = 0; i < n; i++) {
      this.matchOf[callEntryOf[i]] = retEntryOf[i];
      this.matchOf[retEntryOf[i]] = NIL;
    }
    for (let e = 0; e < size; e++) {
      this.nextOf[e] = e === size - 1 ? NIL : e + 1;
      this.prevOf[e] = e - 1;
    }
    this.stackEntry = scratch.stackEntry;
    this.stackState = scratch.stackState as S[];
    this.set = scratch.set;
    this.set.reset(detCount, indCount);
    this.memo = scratch.memo;
    this.memo.reset(n * 2, memoryLimitBytes);
    this.maxStates = Math.min(MAX_STATES, Math.floor(memoryLimitBytes / BYTES_PER_STATE));
    this.stateIds = scratch.stateIds;
    this.stateIds.clear();
    this.stateKey = model.stateKey as ((s: S) => unknown) | undefined;
    this.state = model.init();
    this.entry = n === 0 ? NIL : this.nextOf[HEAD];
    if (n === 0) {
      this.done = 'ok';
      this.release();
    }
  }

  /** Runs at most about `budget` steps; 'pending' means call again. */
  run(budget: number): SliceResult {
    if (this.done !== 'pending') return this.done;
    const { nextOf, prevOf, matchOf, opOfEntry, stackEntry, stackState, set, memo, steps, inputs, outputs } = this;
    const indeterminate = this.indeterminate;
    const track = this.trackLongest;
    const stateIds = this.stateIds;
    const stateKey = this.stateKey;
    let entry = this.entry;
    let depth = this.depth;
    let state = this.state;
    let setA = this.setA;
    let setB = this.setB;
    let result: SliceResult = 'pending';

    for (let count = 0; count < budget; count++) {
      if (entry === NIL) {
        result = 'ok';
        break;
      }
      const ret = matchOf[entry];
      const op = opOfEntry[entry];
      if (ret !== NIL) {
        const next = steps[op](state, inputs[op], outputs[op]);
        if (next !== ILLEGAL) {
          const key = stateKey === undefined ? next : stateKey(next as S);
          let sid = stateIds.get(key);
          if (sid === undefined) {
            sid = stateIds.size;
            if (sid >= this.maxStates) {
              this.outOfMemory = true;
              break;
            }
            stateIds.set(key, sid);
          }
          const a = setA ^ zobristA[op];
          const b = setB ^ zobristB[op];
          set.add(op);
          const added = memo.add(a ^ mixState(sid, 0x51ed27), b ^ mixState(sid, 0x2545f4), sid, set);
          if (added < 0) {
            set.remove(op);
            this.outOfMemory = true;
            break;
          }
          if (added === 1) {
            stackEntry[depth] = entry;
            stackState[depth] = state;
            depth++;
            setA = a;
            setB = b;
            state = next as S;
            // lift: unlink the call and its return
            nextOf[prevOf[entry]] = nextOf[entry];
            prevOf[nextOf[entry]] = prevOf[entry];
            nextOf[prevOf[ret]] = nextOf[ret];
            if (nextOf[ret] !== NIL) prevOf[nextOf[ret]] = prevOf[ret];
            entry = nextOf[HEAD];
            continue;
          }
          set.remove(op);
        }
        entry = nextOf[entry];
      } else {
        // Indeterminate returns sit at the end of time: reaching one means every
        // completed operation is linearized, and the rest may simply not have happened.
        if (indeterminate[op] === 1) {
          result = 'ok';
          break;
        }
        if (depth === 0) {
          result = 'illegal';
          break;
        }
        // Recorded when a deepest order is abandoned, copying only what changed
        // since the last record: linear in the search, not quadratic.
        if (track) {
          if (depth > this.deepestLen) this.recordDeepest(depth);
          if (depth - 1 < this.stable) this.stable = depth - 1;
        }
        depth--;
        entry = stackEntry[depth];
        state = stackState[depth];
        const undone = opOfEntry[entry];
        set.remove(undone);
        setA ^= zobristA[undone];
        setB ^= zobristB[undone];
        // unlift: relink the return, then the call
        const back = matchOf[entry];
        nextOf[prevOf[back]] = back;
        if (nextOf[back] !== NIL) prevOf[nextOf[back]] = back;
        nextOf[prevOf[entry]] = entry;
        prevOf[nextOf[entry]] = entry;
        entry = nextOf[entry];
      }
    }
    this.entry = entry;
    this.depth = depth;
    this.state = state;
    this.setA = setA;
    this.setB = setB;
    this.done = result;
    if (result !== 'pending') this.release();
    return result;
  }

  /** Deepest partial linearization seen (only with trackLongest), as indices into the ops given. */
  get longest(): number[] {
    if (this.scratch !== undefined && this.depth > this.deepestLen) this.recordDeepest(this.depth);
    return this.deepest.slice(0, this.deepestLen);
  }

  /** Hands the arrays back for the next search; the verdict, order and longest stay readable. */
  release(): void {
    if (this.scratch === undefined) return;
    if (this.done === 'ok') this.finalOrder = this.stackOps(this.depth);
    if (this.trackLongest && this.depth > this.deepestLen) this.recordDeepest(this.depth);
    this.stackState.length = 0;
    this.memoBytes = this.memo.bytes();
    this.memo.shrink(POOLED_MEMO_BYTES);
    if (pool.length < POOL_SIZE) pool.push(this.scratch);
    this.scratch = undefined;
  }

  private finalOrder: number[] | undefined;

  /** The linearization found (after 'ok'), as indices into the ops given. */
  order(): number[] {
    return this.finalOrder ?? this.stackOps(this.depth);
  }

  private recordDeepest(depth: number): void {
    for (let i = this.stable; i < depth; i++) this.deepest[i] = this.opOfEntry[this.stackEntry[i]];
    this.deepestLen = depth;
    this.stable = depth;
  }

  private stackOps(depth: number): number[] {
    const out = new Array<number>(depth);
    for (let i = 0; i < depth; i++) out[i] = this.opOfEntry[this.stackEntry[i]];
    return out;
  }
}

const SLICE = 1 << 14;

/** Runs one search to completion or to the deadline. */
export function searchLinearization<S>(
  ops: readonly Operation[],
  model: SeqModel<S>,
  options: SearchOptions,
): SearchResult {
  const search = new LinearizationSearch(ops, model, options.trackLongest, options.memoryLimitBytes);
  for (;;) {
    const r = search.run(SLICE);
    if (r === 'ok') return { kind: 'ok', order: search.order() };
    if (r === 'illegal') return { kind: 'illegal', longest: search.longest };
    if (search.outOfMemory || performance.now() > options.deadline) return { kind: 'unknown', longest: search.longest };
  }
}

/** Histories arrive nearly sorted: insertion sort for small partitions, the library sort otherwise. */
function sortByTime(order: Int32Array, n: number, ops: readonly Operation[], byReturn: boolean): void {
  if (n > 64) {
    const sorted = Array.from(order.subarray(0, n)).sort((x, y) =>
      byReturn ? ops[x].ret - ops[y].ret || x - y : ops[x].call - ops[y].call,
    );
    order.set(sorted);
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = order[i];
    const t = byReturn ? ops[x].ret : ops[x].call;
    let j = i - 1;
    while (j >= 0 && (byReturn ? ops[order[j]].ret : ops[order[j]].call) > t) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
}
