/**
 * Knossos's verdict, computed the obvious way, for checking the real checker on
 * Jepsen EDN histories. Written from Knossos's rules (knossos.model: Register,
 * CASRegister; knossos.history: pairing) and nothing of checker/lincheck:
 *
 * - an :ok completion gives the operation its value (for a read, the value read;
 *   the read's invocation value is never used); a :fail operation did not happen;
 *   an :info or unfinished operation may happen at any point after its
 *   invocation, or never, with its invocation's value;
 * - register/cas-register step: write v -> v; read nil -> any state, unchanged;
 *   read v -> only from state v; cas [cur new] -> new, only from state cur;
 * - mutex: acquire only when free, release only when held;
 * - set: add v; read s -> only when the set equals s;
 * - unordered-queue / fifo-queue: enqueue v; dequeue v -> only when v is pending
 *   (fifo: at the head), removing one;
 * - multi-register: txn [[f k v] ...] in order: write sets k; read v needs k = v
 *   unless v is nil.
 *
 * Then every order that respects real time is tried. Exponential: small histories only.
 */
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';

interface KOp {
  readonly f: string;
  readonly value: HistoryValue;
  readonly call: number;
  /** Infinity for :info and never-completed operations. */
  readonly ret: number;
}

const INCONSISTENT = Symbol('inconsistent');

function equal(a: HistoryValue, b: HistoryValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

export type KnossosModel = 'register' | 'cas-register' | 'mutex' | 'set' | 'unordered-queue' | 'fifo-queue' | 'multi-register';

/** States are plain values: a boolean, an array (set members, queue), or a [k, v] list. */
type KState = unknown;

const sameSet = (a: HistoryValue[], b: HistoryValue[]): boolean =>
  a.every((x) => b.some((y) => equal(x, y))) && b.every((y) => a.some((x) => equal(x, y)));

function step(model: KnossosModel, state: KState, op: KOp): KState | typeof INCONSISTENT {
  switch (model) {
    case 'mutex':
      if (op.f === 'acquire') return state ? INCONSISTENT : true;
      return state ? false : INCONSISTENT;
    case 'set': {
      const s = state as HistoryValue[];
      if (op.f === 'add') return s.some((x) => equal(x, op.value)) ? s : [...s, op.value];
      return Array.isArray(op.value) && sameSet(s, op.value) ? s : INCONSISTENT;
    }
    case 'unordered-queue':
    case 'fifo-queue': {
      const q = state as HistoryValue[];
      if (op.f === 'enqueue') return [...q, op.value];
      const i = model === 'fifo-queue' ? (q.length > 0 && equal(q[0], op.value) ? 0 : -1) : q.findIndex((x) => equal(x, op.value));
      return i < 0 ? INCONSISTENT : [...q.slice(0, i), ...q.slice(i + 1)];
    }
    case 'multi-register': {
      let regs = state as [string, HistoryValue][];
      for (const [f, k, v] of op.value as [string, HistoryValue, HistoryValue][]) {
        const current = regs.find(([key]) => key === String(k))?.[1] ?? null;
        if (f === 'write') regs = [...regs.filter(([key]) => key !== String(k)), [String(k), v]];
        else if (v !== null && !equal(current, v)) return INCONSISTENT;
      }
      return regs;
    }
    default:
      return registerStep(model, state as HistoryValue, op);
  }
}

function registerStep(model: 'register' | 'cas-register', state: HistoryValue, op: KOp): HistoryValue | typeof INCONSISTENT {
  switch (op.f) {
    case 'write':
      return op.value;
    case 'read':
      return op.value === null || equal(state, op.value) ? state : INCONSISTENT;
    case 'cas': {
      if (model !== 'cas-register') throw new Error('cas on a register');
      const [cur, next] = op.value as HistoryValue[];
      return equal(cur, state) ? next : INCONSISTENT;
    }
    default:
      throw new Error(`unknown f ${op.f}`);
  }
}

function knossosOps(events: readonly HistoryEvent[]): KOp[] {
  const open = new Map<number, { f: string; value: HistoryValue; call: number; slot: number }>();
  const slots: (KOp | null)[] = [];
  events.forEach((e, i) => {
    const inv = open.get(e.process);
    if (e.type === 'invoke') {
      open.set(e.process, { f: e.f, value: e.f === 'read' ? null : e.value, call: i, slot: slots.length });
      slots.push(null);
      return;
    }
    if (!inv) throw new Error(`completion without invocation at event ${i}`);
    open.delete(e.process);
    if (e.type === 'ok') slots[inv.slot] = { f: inv.f, value: e.f === 'read' ? e.value : (e.value ?? inv.value), call: inv.call, ret: i };
    else if (e.type === 'info') slots[inv.slot] = { f: inv.f, value: inv.value, call: inv.call, ret: Infinity };
    // :fail: did not happen
  });
  for (const inv of open.values()) slots[inv.slot] = { f: inv.f, value: inv.value, call: inv.call, ret: Infinity };
  return slots.filter((op): op is KOp => op !== null);
}

export function knossosLinearizable(events: readonly HistoryEvent[], model: KnossosModel, initial: KState = null): boolean {
  const ops = knossosOps(events);
  const placed = ops.map(() => false);
  const mustPlace = ops.filter((op) => op.ret !== Infinity).length;
  const go = (state: KState, done: number): boolean => {
    if (done === mustPlace) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      if (ops.some((p, j) => !placed[j] && p.ret < ops[i].call)) continue;
      const next = step(model, state, ops[i]);
      if (next === INCONSISTENT) continue;
      placed[i] = true;
      const ok = go(next, done + (ops[i].ret === Infinity ? 0 : 1));
      placed[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return go(initial, 0);
}
