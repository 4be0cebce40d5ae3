/**
 * The correspondence between the model's write values (1, 2, ... in write order) and the
 * log's values (interned, 1, 2, ... in order of appearance; 0 on both sides is the
 * initial value). Built while matching: the first event that shows a model value next
 * to a log value binds them, and a value is never bound twice. Immutable: a search
 * branch that binds gets a copy, so branches that ordered writes differently keep
 * their own.
 */
export interface Binding {
  /** model value -> log value + 1 (0: unbound). */
  readonly fwd: Int32Array;
  /** log value -> model value + 1 (0: unbound). */
  readonly rev: Int32Array;
  /** Order-independent digest of the pairs, for the visited set. */
  readonly hash: number;
  readonly size: number;
}

export function emptyBinding(modelValues: number, logValues: number): Binding {
  return { fwd: new Int32Array(modelValues + 1), rev: new Int32Array(logValues + 1), hash: 0, size: 0 };
}

/** The binding in which model value m stands for log value x, or null. */
export function bind(b: Binding, m: number, x: number): Binding | null {
  if (m === 0 || x === 0) return m === x ? b : null;
  if (m >= b.fwd.length || x >= b.rev.length) return null;
  const f = b.fwd[m]!;
  if (f !== 0) return f === x + 1 ? b : null;
  if (b.rev[x] !== 0) return null;
  const fwd = b.fwd.slice();
  const rev = b.rev.slice();
  fwd[m] = x + 1;
  rev[x] = m + 1;
  return { fwd, rev, hash: (b.hash + Math.imul(m * 40503 + x, 2654435761)) | 0, size: b.size + 1 };
}

/** The log value a model value stands for, or -1. */
export function logValueOf(b: Binding, m: number): number {
  if (m === 0) return 0;
  return m < b.fwd.length ? b.fwd[m]! - 1 : -1;
}

export function bindingKey(b: Binding): string {
  return `${b.size}:${b.hash}`;
}
