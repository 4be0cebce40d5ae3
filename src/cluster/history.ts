import type { HistoryEvent } from '../../spec/history.ts';
import type { ClusterState } from './state.ts';

const F_NAMES = ['read', 'write', 'scope-end'] as const;

/**
 * The client history as Jepsen events. Operations left pending by a crash stay invoked
 * with no completion (indeterminate); a read's invoke value is null.
 */
export function historyOf(s: ClusterState): HistoryEvent[] {
  return s.history.map((h) => ({
    process: h.p,
    type: h.type === 0 ? 'invoke' : 'ok',
    f: F_NAMES[h.f],
    key: `k${h.key}`,
    value: h.f === 0 && h.type === 0 ? null : h.f === 2 ? null : h.value,
  }));
}
