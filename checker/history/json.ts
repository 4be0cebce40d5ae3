/**
 * The project's own history format (spec/history-format.md): HistoryEvent objects
 * as a JSON array, as `{"events": [...]}`, or one object per line (JSON Lines).
 */
import type { HistoryEvent } from '../../spec/history.ts';
import { HistoryError } from './errors.ts';
import { readJson, type JsonDocument } from './json-text.ts';
import { eventSchema, fastEvent, toHistoryEvent, zodProblem } from './schema.ts';
import type { ParsedHistory } from './types.ts';

export function parseJsonHistory(text: string, file = '<json>'): ParsedHistory {
  let doc: JsonDocument;
  try {
    doc = readJson(text, file);
  } catch (e) {
    // Several objects one after another: JSON Lines, each line read on its own.
    if (looksLikeJsonLines(text)) return parseJsonLines(text, file);
    throw e;
  }
  const document = doc.value;
  const isObject = document !== null && typeof document === 'object' && !Array.isArray(document);
  if (isObject && !('events' in document)) return parseJsonLines(text, file);
  const items = isObject ? document.events : document;
  if (!Array.isArray(items)) {
    throw new HistoryError(`${file}: expected a JSON array of events or {"events": [...]}, got ${describe(items)}`);
  }
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const line = item !== null && typeof item === 'object' ? doc.lineOf.get(item) : undefined;
    const at = line === undefined ? `${file}: event #${i + 1}` : `${file}:${line}`;
    events.push(toEvent(item, at));
    if (line !== undefined) lines.push(line);
  }
  return { format: 'json', events, source: { file, lines: lines.length === items.length ? lines : undefined } };
}

/** JSON Lines when the first non-blank line is a whole JSON object by itself. */
function looksLikeJsonLines(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '');
  if (first === undefined || !first.trim().startsWith('{')) return false;
  try {
    readJson(first);
    return true;
  } catch {
    return false;
  }
}

function parseJsonLines(text: string, file: string): ParsedHistory {
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.trim() === '') continue;
    const item = readJson(row, file, i).value;
    events.push(toEvent(item, `${file}:${i + 1}`));
    lines.push(i + 1);
  }
  return { format: 'json', events, source: { file, lines } };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `the ${typeof v} ${String(v)}`;
}

function toEvent(item: unknown, at: string): HistoryEvent {
  const fast = item !== null && typeof item === 'object' && !Array.isArray(item) ? fastEvent(item as Record<string, unknown>) : undefined;
  if (fast) return fast;
  const parsed = eventSchema.safeParse(item);
  if (!parsed.success) throw new HistoryError(`${at}: ${zodProblem(parsed.error, '', item)}`);
  return toHistoryEvent(parsed.data);
}
