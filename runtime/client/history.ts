/**
 * The client history, recorded as clients see it and written as Jepsen EDN, one map per
 * line, which `heal lincheck --model heal` reads (spec/history-format.md): each key is its
 * own register (`:key`), initial value 0. Nemesis events carry `:process :nemesis`, which
 * the reader skips. Times are nanoseconds since the load started, as in Jepsen.
 */

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

export interface ClientEvent {
  readonly process: number;
  readonly type: EventType;
  readonly f: 'read' | 'write' | 'scope-end';
  /** None for scope-end, which is not about one key. */
  readonly key: number | undefined;
  /** Write: the value written. Read: null at invoke, the value read at ok. */
  readonly value: number | null;
  readonly time: number;
  readonly node: number;
  readonly error?: string;
}

export interface NemesisEvent {
  readonly process: 'nemesis';
  readonly type: 'info';
  readonly f: string;
  readonly value: number | string | null;
  readonly time: number;
}

export type HistoryEntry = ClientEvent | NemesisEvent;

export class History {
  readonly events: HistoryEntry[] = [];
  private readonly origin: bigint;

  constructor(origin = process.hrtime.bigint()) {
    this.origin = origin;
  }

  /** Nanoseconds since the origin. */
  now(): number {
    return Number(process.hrtime.bigint() - this.origin);
  }

  add(e: Omit<ClientEvent, 'time'>): ClientEvent {
    const event = { ...e, time: this.now() };
    this.events.push(event);
    return event;
  }

  nemesis(f: string, value: number | string | null): void {
    this.events.push({ process: 'nemesis', type: 'info', f, value, time: this.now() });
  }
}

export function toEdn(events: readonly HistoryEntry[]): string {
  return events.map(ednLine).join('\n') + (events.length > 0 ? '\n' : '');
}

function ednLine(e: HistoryEntry): string {
  if (e.process === 'nemesis') {
    const v = e.value === null ? 'nil' : typeof e.value === 'number' ? String(e.value) : JSON.stringify(e.value);
    return `{:process :nemesis, :type :info, :f :${e.f}, :value ${v}, :time ${e.time}}`;
  }
  const value = e.value === null ? 'nil' : String(e.value);
  const error = e.error === undefined ? '' : `, :error :${e.error.replace(/[^a-zA-Z0-9-]/g, '-')}`;
  const key = e.key === undefined ? '' : `, :key ${e.key}`;
  return `{:process ${e.process}, :type :${e.type}, :f :${e.f}${key}, :value ${value}, :time ${e.time}, :node ${e.node}${error}}`;
}
