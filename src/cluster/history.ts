import type { ClusterState, HistEntry } from './state.ts';

const F_NAMES = ['read', 'write', 'scope-end'] as const;

/**
 * One client event in Jepsen's shape (spec/history-format.md), declared here because
 * src/ imports nothing outside itself; it is structurally a spec/history.ts HistoryEvent,
 * which is what the linearizability checker takes.
 */
export interface ClusterHistoryEvent {
  readonly process: number;
  readonly type: 'invoke' | 'ok';
  readonly f: (typeof F_NAMES)[number];
  readonly key: string;
  /** The value written or read; null for a read's invocation and for scope ends. */
  readonly value: number | null;
}

/**
 * The client history as Jepsen events. Operations left pending by a crash stay invoked
 * with no completion (indeterminate); a read's invoke value is null.
 */
export function historyOf(s: ClusterState): ClusterHistoryEvent[] {
  return (s.history ?? []).map((h) => ({
    process: h.p,
    type: h.type === 0 ? 'invoke' : 'ok',
    f: F_NAMES[h.f],
    key: `k${h.key}`,
    value: h.f === 0 && h.type === 0 ? null : h.f === 2 ? null : h.value,
  }));
}

/**
 * Order of history entries inside one run of consecutive entries of the same type.
 * Within such a run a process occurs at most once (it has one operation at a time),
 * so ordering by process alone is total on well-formed histories; the other fields only
 * make it total on any input.
 */
function compareHistEntry(a: HistEntry, b: HistEntry): number {
  return a.p - b.p || a.f - b.f || a.key - b.key || a.value - b.value;
}

/**
 * The canonical order of a client history: every maximal run of consecutive invocations,
 * and of consecutive completions, sorted by compareHistEntry. Sound for linearizability
 * (the only property that reads the history, and no protocol rule reads it): the verdict
 * depends on the operations and on which completions precede which invocations, and
 * reordering inside such a run changes neither; a process never occurs twice in one run,
 * so per-process order is kept. Returns the input itself when it is already canonical
 * (the usual case: nothing is allocated), else a sorted copy.
 */
export function canonicalHistory(history: readonly HistEntry[]): readonly HistEntry[] {
  let i = 1;
  while (i < history.length) {
    const a = history[i - 1]!;
    const b = history[i]!;
    if (a.type === b.type && compareHistEntry(a, b) > 0) break;
    i++;
  }
  if (i >= history.length) return history;
  const out = history.slice();
  let start = 0;
  while (start < out.length) {
    let end = start + 1;
    while (end < out.length && out[end]!.type === out[start]!.type) end++;
    if (end - start > 1) {
      const run = out.slice(start, end).sort(compareHistEntry);
      for (let j = 0; j < run.length; j++) out[start + j] = run[j]!;
    }
    start = end;
  }
  return out;
}

/**
 * A compact string identity of the history up to the canonical order: equal for two
 * histories exactly when they have the same canonical form. For memo tables.
 */
export function historyKey(history: readonly HistEntry[]): string {
  const canonical = canonicalHistory(history);
  let key = '';
  for (const h of canonical) {
    // One UTF-16 unit per field; the config bounds keep fields far below 2^16, but a
    // key that could collide must not be produced, so anything larger takes the long form.
    if ((h.p | h.key | (h.value + 1)) >>> 16 !== 0 || h.value < -1) return JSON.stringify(canonical);
    key += String.fromCharCode(h.p, (h.type << 2) | h.f, h.key, h.value + 1);
  }
  return key;
}
