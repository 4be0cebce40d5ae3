/**
 * What a history means depends on who recorded it. Porcupine's tests (and this
 * project's JSON) take a completed read of nil to say "the register held nil" (an
 * etcd key that was absent). Knossos, which judges Jepsen's EDN histories, takes
 * it to say "we do not know what was read": in its Register, CASRegister and
 * MultiRegister a nil read matches any state, and a read's invocation value is
 * never looked at (Jepsen fills it with anything, often nil, sometimes the value
 * it expects). Both agree on the rest: :fail did not happen, :info may have
 * happened at any point after its invocation or never, cas takes [from to].
 * spec/history-format.md has the table.
 */
import type { HistoryFormat } from '../history/types.ts';

export type Semantics = 'porcupine' | 'knossos';
export const SEMANTICS: readonly Semantics[] = ['porcupine', 'knossos'];

/** Jepsen EDN is read as Knossos reads it; the other formats as Porcupine does. */
export function defaultSemantics(format: HistoryFormat): Semantics {
  return format === 'jepsen-edn' ? 'knossos' : 'porcupine';
}
