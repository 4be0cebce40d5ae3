/**
 * The correspondence between the model's write values (1, 2, ... in write order) and the
 * log's values (interned, 1, 2, ... in order of appearance; 0 on both sides is the
 * initial value). Built while matching: the first event that shows a model value next
 * to a log value binds them, and a value is never bound twice. Immutable, with
 * chunked copy-on-write tables: a search branch that binds copies one chunk, so
 * branches that ordered writes differently keep their own at little cost.
 */
const CHUNK = 256;

type Table = readonly (Int32Array | undefined)[];

export interface Binding {
  /** model value -> log value + 1 (0: unbound). */
  readonly fwd: Table;
  /** log value -> model value + 1 (0: unbound). */
  readonly rev: Table;
  readonly modelValues: number;
  readonly logValues: number;
  /** Order-independent digest of the pairs, and their number, for the visited set. */
  readonly hash: number;
  readonly size: number;
}

export function emptyBinding(modelValues: number, logValues: number): Binding {
  return {
    fwd: new Array(Math.ceil((modelValues + 1) / CHUNK)).fill(undefined),
    rev: new Array(Math.ceil((logValues + 1) / CHUNK)).fill(undefined),
    modelValues, logValues, hash: 0, size: 0,
  };
}

function get(t: Table, i: number): number {
  return t[(i / CHUNK) | 0]?.[i % CHUNK] ?? 0;
}

function set(t: Table, i: number, v: number): Table {
  const c = (i / CHUNK) | 0;
  const chunk = t[c] ? t[c]!.slice() : new Int32Array(CHUNK);
  chunk[i % CHUNK] = v;
  const out = t.slice();
  out[c] = chunk;
  return out;
}

/** The binding in which model value m stands for log value x, or null. */
export function bind(b: Binding, m: number, x: number): Binding | null {
  if (m === 0 || x === 0) return m === x ? b : null;
  if (m > b.modelValues || x > b.logValues) return null;
  const f = get(b.fwd, m);
  if (f !== 0) return f === x + 1 ? b : null;
  if (get(b.rev, x) !== 0) return null;
  return {
    ...b,
    fwd: set(b.fwd, m, x + 1),
    rev: set(b.rev, x, m + 1),
    hash: (b.hash + Math.imul(m * 40503 + x, 2654435761)) | 0,
    size: b.size + 1,
  };
}

/** The log value a model value stands for, or -1. */
export function logValueOf(b: Binding, m: number): number {
  if (m === 0) return 0;
  return get(b.fwd, m) - 1;
}

export function bindingKey(b: Binding): string {
  return `${b.size}:${b.hash}`;
}
