import type { HistoryEvent } from '../../spec/history.ts';
import type { SourceMap } from './errors.ts';

export type HistoryFormat = 'porcupine-etcd' | 'jepsen-edn' | 'json';
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['porcupine-etcd', 'jepsen-edn', 'json'];

export interface ParsedHistory {
  readonly format: HistoryFormat;
  readonly events: HistoryEvent[];
  /** File name and the source line of each event. */
  readonly source: SourceMap;
}
