/**
 * Jepsen EDN histories: a vector of operation maps, or maps one after another,
 * each `{:process P, :type :invoke|:ok|:fail|:info, :f :F, :value V}` with optional
 * `:key`, `:index`, `:time`. Keywords read as their names (`:read` -> "read").
 * Events from non-client processes (`:process :nemesis`) are skipped.
 */
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';
import { EdnList, EdnMap, EdnSymbol, Keyword, readEdn, type EdnValue } from './edn.ts';
import { HistoryError } from './errors.ts';
import { eventSchema, fastEvent, toHistoryEvent, zodProblem } from './schema.ts';
import type { ParsedHistory } from './types.ts';

export function parseJepsenEdn(text: string, file = '<edn>'): ParsedHistory {
  const forms = readEdn(text, file);
  let maps: { value: EdnValue; line: number }[] = forms;
  if (forms.length === 1 && forms[0].value instanceof EdnList) {
    const list = forms[0].value;
    maps = list.items.map((value) => ({ value, line: value instanceof EdnMap ? value.line : list.line }));
  }
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  for (const { value, line } of maps) {
    if (!(value instanceof EdnMap)) {
      throw new HistoryError(`${file}:${line}: expected an operation map {:process .. :type .. :f ..}, got ${show(value)}`);
    }
    const process = value.get('process');
    if (process instanceof Keyword) continue;
    const plain: Record<string, unknown> = {};
    for (const [k, v] of value.entries) {
      if (!(k instanceof Keyword)) continue;
      try {
        plain[k.name] = toPlain(v);
      } catch (e) {
        throw new HistoryError(`${file}:${line}: field ':${k.name}': ${(e as Error).message}`);
      }
    }
    let event = fastEvent(plain);
    if (event === undefined) {
      const parsed = eventSchema.safeParse(plain);
      if (!parsed.success) throw new HistoryError(`${file}:${line}: ${zodProblem(parsed.error, ':', plain)}`);
      event = toHistoryEvent(parsed.data);
    }
    events.push(event);
    lines.push(line);
  }
  return { format: 'jepsen-edn', events, source: { file, lines } };
}

function toPlain(v: EdnValue): HistoryValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
  if (v instanceof Keyword || v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnList) return v.items.map(toPlain);
  throw new Error(`a map is not a supported value here (expected nil, a number, a string, a keyword or a vector)`);
}

function show(v: EdnValue): string {
  if (v instanceof EdnList) return `a ${v.kind}`;
  if (v instanceof Keyword) return `the keyword ${v}`;
  return typeof v === 'bigint' ? String(v) : (JSON.stringify(v) ?? String(v));
}
