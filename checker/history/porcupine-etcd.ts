/**
 * Porcupine's etcd log format (Jepsen runs against etcd, one event per line):
 * `INFO  jepsen.util - P  :TYPE  :F  VALUE`. Semantics, from the data README:
 * `:fail :cas` completed without applying (completion value false here);
 * `:fail :read :timed-out` constrains nothing (the read is dropped); `:info` lines
 * do not end an operation; an operation with no ending line is indeterminate.
 * Lines from other loggers and from non-client processes are skipped.
 */
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';
import { HistoryError } from './errors.ts';
import { integerValue } from './numbers.ts';
import type { ParsedHistory } from './types.ts';

const LOG_LINE = /^\s*\S+\s+(\S+)\s+-\s+(.*)$/;
const UTIL_BODY = /^(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.+?)\s*$/;
const NUMBER = /^-?\d+$/;
const PAIR = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/;

export function parsePorcupineEtcd(text: string, file = '<etcd log>'): ParsedHistory {
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i].replace(/\r$/, '');
    const lineNo = i + 1;
    if (row.trim() === '') continue;
    const fail = (what: string): never => {
      throw new HistoryError(`${file}:${lineNo}: ${what}, got: ${row.trim()}`);
    };
    const log = LOG_LINE.exec(row);
    if (!log) fail(`expected a log line 'INFO  jepsen.util - PROCESS :TYPE :F VALUE'`);
    if (log![1] !== 'jepsen.util') continue;
    const body = log![2];
    if (/^:?[a-z]/i.test(body) && !/^\d/.test(body)) continue; // :nemesis and other non-client lines
    const m = UTIL_BODY.exec(body);
    if (!m) fail(`expected 'PROCESS :invoke|:ok|:fail|:info :read|:write|:cas VALUE'`);
    const [, proc, type, f, raw] = m!;
    const process = Number(proc);
    if (type === 'info') continue;

    let event: HistoryEvent | undefined;
    const value = (): HistoryValue => {
      if (raw === 'nil') return null;
      if (NUMBER.test(raw)) return integerValue(raw);
      const pair = PAIR.exec(raw);
      if (pair) return [integerValue(pair[1]), integerValue(pair[2])];
      return fail(`expected nil, an integer or [FROM TO] as the value`);
    };
    const expect = (ok: boolean, what: string): void => {
      if (!ok) fail(`expected ${what} for :${type} :${f}`);
    };
    if (type === 'invoke') {
      const v = value();
      if (f === 'read') expect(v === null, 'nil');
      if (f === 'write') expect(isInteger(v), 'an integer');
      if (f === 'cas') expect(Array.isArray(v), '[FROM TO]');
      event = { process, type: 'invoke', f, value: v };
    } else if (type === 'ok') {
      const v = value();
      if (f === 'read') expect(v === null || isInteger(v), 'nil or an integer');
      if (f === 'write') expect(isInteger(v), 'an integer');
      if (f === 'cas') expect(Array.isArray(v), '[FROM TO]');
      event = { process, type: 'ok', f, value: v };
    } else if (f === 'read') {
      expect(raw === ':timed-out', ':timed-out');
      // A timed-out read returned nothing: as a Jepsen :fail it is dropped, which is exact for a read.
      event = { process, type: 'fail', f, value: null };
    } else if (f === 'cas') {
      expect(Array.isArray(value()), '[FROM TO]');
      event = { process, type: 'ok', f, value: false };
    } else {
      fail(`a write cannot :fail in this format (use :info for an unknown outcome)`);
    }
    events.push(event!);
    lines.push(lineNo);
  }
  return { format: 'porcupine-etcd', events, source: { file, lines } };
}

const isInteger = (v: HistoryValue): boolean => typeof v === 'number' || typeof v === 'bigint';
