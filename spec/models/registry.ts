/**
 * The sequential specifications `heal lincheck` knows by name. To add one: write a
 * SeqModel in spec/models/ (a few lines per operation) and register its factory here.
 * Kept out of checker/, which checks against any SeqModel and names none (as Porcupine
 * keeps its concrete models outside the library).
 */
import type { HistoryEvent, HistoryValue } from '../history.ts';
import { showValue, type SeqModel } from './types.ts';
import { registerModel } from './register.ts';
import { casRegisterModel } from './cas-register.ts';
import { kvModel } from './kv.ts';
import { healStoreModel } from './heal-store.ts';
import { mutexModel } from './mutex.ts';
import { setModel } from './set.ts';
import { fifoQueueModel, unorderedQueueModel } from './queues.ts';
import { multiRegisterModel } from './multi-register.ts';

/** A value, or (for multi-register) registers by name. */
export type InitialValue = HistoryValue | { readonly [key: string]: HistoryValue };

export interface SeqModelEntry {
  readonly summary: string;
  /** `initial` is undefined when the user gave none: the model's own default applies. */
  create(initial: InitialValue | undefined): SeqModel<unknown>;
}

const isRegisters = (v: InitialValue | undefined): v is { readonly [key: string]: HistoryValue } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Models whose state is not one value take no --initial (or a map, for multi-register). */
function scalarInitial(model: string, v: InitialValue | undefined): HistoryValue | undefined {
  if (isRegisters(v)) throw new TypeError(`the ${model} model's initial value is one value, not a map`);
  return v;
}

function noInitial(model: string, v: InitialValue | undefined): void {
  if (v !== undefined) throw new TypeError(`the ${model} model starts empty and takes no initial value`);
}

export const SEQ_MODELS: Readonly<Record<string, SeqModelEntry>> = {
  register: {
    summary: 'read/write register (initial nil)',
    create: (initial) => registerModel(scalarInitial('register', initial) ?? null) as SeqModel<unknown>,
  },
  'cas-register': {
    summary: 'read/write/cas register, as in the etcd histories (initial nil)',
    create: (initial) => casRegisterModel(scalarInitial('cas-register', initial) ?? null) as SeqModel<unknown>,
  },
  kv: {
    summary: 'string key-value store with get/put/append, per key (initial "")',
    create: (initial) => {
      if (initial !== undefined && typeof initial !== 'string') {
        throw new TypeError(`the kv model's initial value must be a string, got ${isRegisters(initial) ? "a map" : showValue(initial)}`);
      }
      return kvModel(initial ?? '') as SeqModel<unknown>;
    },
  },
  heal: {
    summary: 'the HEAL store: read/write per key, scope-end has no effect (initial 0)',
    create: (initial) => healStoreModel(scalarInitial('heal', initial) ?? 0) as SeqModel<unknown>,
  },
  mutex: {
    summary: "a lock: acquire/release (Knossos's mutex)",
    create: (initial) => (noInitial('mutex', initial), mutexModel() as SeqModel<unknown>),
  },
  set: {
    summary: "a grow-only set: add v, read -> #{...} (Knossos's set)",
    create: (initial) => (noInitial('set', initial), setModel() as SeqModel<unknown>),
  },
  'unordered-queue': {
    summary: "enqueue v, dequeue -> any pending value (Knossos's unordered-queue)",
    create: (initial) => (noInitial('unordered-queue', initial), unorderedQueueModel() as SeqModel<unknown>),
  },
  'fifo-queue': {
    summary: "enqueue v, dequeue -> the oldest pending value (Knossos's fifo-queue)",
    create: (initial) => (noInitial('fifo-queue', initial), fifoQueueModel() as SeqModel<unknown>),
  },
  'multi-register': {
    summary: 'txn [[:read k v] [:write k v] ...] over named registers, nil reads match (initial: a map, default all nil)',
    create: (initial) => {
      if (initial !== undefined && !isRegisters(initial)) throw new TypeError(`the multi-register model's initial value is a map of registers, e.g. {"x": 0}`);
      return multiRegisterModel(initial ?? {}) as SeqModel<unknown>;
    },
  },
};

/** The model a history most likely needs, from the operations it uses. */
export function guessModel(events: readonly HistoryEvent[]): string {
  const fs = new Set(events.map((e) => e.f));
  if (fs.has('get') || fs.has('put') || fs.has('append')) return 'kv';
  if (fs.has('scope-end')) return 'heal';
  if (fs.has('txn')) return 'multi-register';
  if (fs.has('acquire') || fs.has('release')) return 'mutex';
  if (fs.has('enqueue') || fs.has('dequeue')) return 'unordered-queue';
  if (fs.has('add')) return 'set';
  if (fs.has('cas')) return 'cas-register';
  return 'register';
}

/** A model by name and initial value: the factory partition workers call (ModelRef). */
export function createSeqModel(config: { readonly name: string; readonly initial: InitialValue | undefined }): SeqModel<unknown> {
  const entry = SEQ_MODELS[config.name];
  if (entry === undefined) throw new TypeError(`no sequential model named '${config.name}'`);
  return entry.create(config.initial) as SeqModel<unknown>;
}
