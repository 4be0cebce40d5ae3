/**
 * An online linearizability monitor for the HEAL store: per key a read/write register
 * with initial value 0 (spec/models/heal-store.ts; linearizability is local, so keys are
 * independent). It replaces the client history in the state's identity: two states
 * whose histories differ but leave the same monitor have the same futures under every
 * property, so the checker merges them. On the default bounds this divides the state
 * space by 3 (Read-Enforced) to 9 (Scope); see spec/cluster-model.md "Client history".
 *
 * The monitor is the set of configurations a just-in-time linearizer can be in (as in
 * Lowe's JIT linearizability testers): a register value and which pending writes have
 * already been linearized. The set is kept closed under "linearize one more pending
 * write", so an event only filters or extends it. It is empty exactly when no
 * linearization of the history so far exists, pending writes counting as
 * indeterminate (they may or may not have taken effect). A write left pending by a
 * crash stays pending forever, as Jepsen treats an indeterminate operation.
 *
 * Reads are atomic in the cluster model (invoke and completion in one step), so a
 * read's completion is its linearization point. Scope ends change nothing a client can
 * read and are always legal: the monitor ignores them.
 */

export interface PendingWrite {
  /** Process (node and incarnation, see processOf). */
  readonly p: number;
  readonly value: number;
}

export interface LinConfig {
  readonly value: number;
  /** Bit i: pending[i] is already linearized. */
  readonly done: number;
}

export interface KeyLin {
  /** Sorted by process: one representation per set. */
  readonly pending: readonly PendingWrite[];
  /** Closed, sorted by (value, done), without duplicates. Empty: not linearizable. */
  readonly configs: readonly LinConfig[];
}

/** Bitmasks over pending writes are 31-bit: far above what any bound here produces. */
const MAX_PENDING = 30;

const START: KeyLin = { pending: [], configs: [{ value: 0, done: 0 }] };

export function initialLin(keys: number): readonly KeyLin[] {
  return Array.from({ length: keys }, () => START);
}

export function isLinearizable(k: KeyLin): boolean {
  return k.configs.length > 0;
}

/** The order configurations are kept in (one representation per set). */
export function compareConfig(a: LinConfig, b: LinConfig): number {
  return a.value - b.value || a.done - b.done;
}

/** The closure of configs under linearizing any pending write not yet linearized. */
function close(pending: readonly PendingWrite[], seed: readonly LinConfig[]): LinConfig[] {
  const seen = new Set<number>();
  const out: LinConfig[] = [];
  const add = (c: LinConfig): void => {
    const id = c.done * 4096 + c.value;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(c);
  };
  for (const c of seed) add(c);
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    for (let w = 0; w < pending.length; w++) {
      if ((c.done & (1 << w)) === 0) add({ value: pending[w]!.value, done: c.done | (1 << w) });
    }
  }
  return out.sort(compareConfig);
}

/** Bit positions at or above `at` move up one place: a write was inserted at `at`. */
function widen(done: number, at: number): number {
  const low = done & ((1 << at) - 1);
  return low | ((done >>> at) << (at + 1));
}

/** Bit `at` is dropped and the bits above it move down one place. */
function narrow(done: number, at: number): number {
  const low = done & ((1 << at) - 1);
  return low | ((done >>> (at + 1)) << at);
}

export function invokeWrite(k: KeyLin, p: number, value: number): KeyLin {
  if (k.pending.length >= MAX_PENDING) throw new Error(`lin monitor: more than ${MAX_PENDING} writes pending on one key`);
  let at = 0;
  while (at < k.pending.length && k.pending[at]!.p < p) at++;
  if (at < k.pending.length && k.pending[at]!.p === p) throw new Error(`lin monitor: process ${p} invoked a write while one is pending`);
  const pending = [...k.pending.slice(0, at), { p, value }, ...k.pending.slice(at)];
  const configs = k.configs.map((c) => ({ value: c.value, done: widen(c.done, at) }));
  return { pending, configs: close(pending, configs) };
}

/** A write returned ok: it must have been linearized by now, and it is pending no more. */
export function completeWrite(k: KeyLin, p: number): KeyLin {
  const at = k.pending.findIndex((w) => w.p === p);
  if (at < 0) throw new Error(`lin monitor: process ${p} completed a write it never invoked`);
  const pending = [...k.pending.slice(0, at), ...k.pending.slice(at + 1)];
  const bit = 1 << at;
  const configs: LinConfig[] = [];
  for (const c of k.configs) if ((c.done & bit) !== 0) configs.push({ value: c.value, done: narrow(c.done, at) });
  // Still closed (a closed set filtered on one linearized write stays closed); only
  // duplicates can appear, where configs differed in nothing but that write's bit.
  return { pending, configs: dedupe(configs.sort(compareConfig)) };
}

/** A read returned `value`, linearized at this instant; pending writes may follow it. */
export function read(k: KeyLin, value: number): KeyLin {
  return { pending: k.pending, configs: close(k.pending, k.configs.filter((c) => c.value === value)) };
}

function dedupe(sorted: LinConfig[]): LinConfig[] {
  return sorted.filter((c, i) => i === 0 || compareConfig(sorted[i - 1]!, c) !== 0);
}
