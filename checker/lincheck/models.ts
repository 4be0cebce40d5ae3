/**
 * The models the CLI knows by name. To add one: write a SeqModel in spec/models/
 * (a few lines per operation) and register its factory here.
 */
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';
import { showValue, type SeqModel } from '../../spec/models/types.ts';
import { registerModel } from '../../spec/models/register.ts';
import { casRegisterModel } from '../../spec/models/cas-register.ts';
import { kvModel } from '../../spec/models/kv.ts';
import { healStoreModel } from '../../spec/models/heal-store.ts';

export interface ModelEntry {
  readonly summary: string;
  /** `initial` is undefined when the user gave none: the model's own default applies. */
  create(initial: HistoryValue | undefined): SeqModel<unknown>;
}

export const MODELS: Readonly<Record<string, ModelEntry>> = {
  register: {
    summary: 'read/write register (initial nil)',
    create: (initial) => registerModel(initial === undefined ? null : initial) as SeqModel<unknown>,
  },
  'cas-register': {
    summary: 'read/write/cas register, as in the etcd histories (initial nil)',
    create: (initial) => casRegisterModel(initial === undefined ? null : initial) as SeqModel<unknown>,
  },
  kv: {
    summary: 'string key-value store with get/put/append, per key (initial "")',
    create: (initial) => {
      if (initial !== undefined && typeof initial !== 'string') {
        throw new TypeError(`the kv model's initial value must be a string, got ${showValue(initial)}`);
      }
      return kvModel(initial ?? '') as SeqModel<unknown>;
    },
  },
  heal: {
    summary: 'the HEAL store: read/write per key, scope-end has no effect (initial 0)',
    create: (initial) => healStoreModel(initial === undefined ? 0 : initial) as SeqModel<unknown>,
  },
};

/** The model a history most likely needs, from the operations it uses. */
export function guessModel(events: readonly HistoryEvent[]): string {
  const fs = new Set(events.map((e) => e.f));
  if (fs.has('get') || fs.has('put') || fs.has('append')) return 'kv';
  if (fs.has('scope-end')) return 'heal';
  if (fs.has('cas')) return 'cas-register';
  return 'register';
}
