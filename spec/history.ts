/**
 * A client history, as Jepsen records it: one event per invocation or completion.
 * The linearizability checker, the history file formats and the HEAL cluster model
 * all speak this type. See spec/history-format.md.
 */
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** Integers past 2^53 are bigints, so they compare exactly (checker/history/numbers.ts). */
export type HistoryValue = null | number | bigint | string | boolean | HistoryValue[];

export interface HistoryEvent {
  readonly process: number;
  readonly type: EventType;
  /** Operation name: read, write, cas, get, put, append, scope-end, ... */
  readonly f: string;
  /** Absent for single-register histories. */
  readonly key?: string;
  readonly value: HistoryValue;
  /** Optional wall-clock or logical time, informational only. */
  readonly time?: number;
}
