/**
 * The project's own history format (spec/history-format.md): HistoryEvent objects
 * as a JSON array, as `{"events": [...]}`, or one object per line (JSON Lines).
 */
import type { HistoryEvent } from '../../spec/history.ts';
import { HistoryError } from './errors.ts';
import { eventSchema, toHistoryEvent, zodProblem } from './schema.ts';
import type { ParsedHistory } from './types.ts';

export function parseJsonHistory(text: string, file = '<json>'): ParsedHistory {
  let document: unknown;
  let wholeDocument = true;
  try {
    document = JSON.parse(text);
  } catch (e) {
    wholeDocument = false;
    if (!looksLikeJsonLines(text)) throw new HistoryError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!wholeDocument || (document !== null && typeof document === 'object' && !Array.isArray(document) && !('events' in document))) {
    return parseJsonLines(text, file);
  }
  let items: unknown;
  let elementDepth = 1;
  if (Array.isArray(document)) items = document;
  else {
    items = (document as { events?: unknown }).events;
    elementDepth = 2;
  }
  if (!Array.isArray(items)) {
    throw new HistoryError(`${file}: expected a JSON array of events or {"events": [...]}`);
  }
  const lines = elementLines(text, elementDepth);
  const events: HistoryEvent[] = [];
  for (let i = 0; i < items.length; i++) {
    const parsed = eventSchema.safeParse(items[i]);
    const at = lines[i] === undefined ? `${file}: event #${i + 1}` : `${file}:${lines[i]}`;
    if (!parsed.success) throw new HistoryError(`${at}: ${zodProblem(parsed.error)}`);
    events.push(toHistoryEvent(parsed.data));
  }
  return { format: 'json', events, source: { file, lines: lines.length === items.length ? lines : undefined } };
}

function looksLikeJsonLines(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '');
  return first !== undefined && first.trim().startsWith('{');
}

function parseJsonLines(text: string, file: string): ParsedHistory {
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i].trim();
    if (row === '') continue;
    let item: unknown;
    try {
      item = JSON.parse(row);
    } catch (e) {
      throw new HistoryError(`${file}:${i + 1}: not a JSON object (${(e as Error).message})`);
    }
    const parsed = eventSchema.safeParse(item);
    if (!parsed.success) throw new HistoryError(`${file}:${i + 1}: ${zodProblem(parsed.error)}`);
    events.push(toHistoryEvent(parsed.data));
    lines.push(i + 1);
  }
  return { format: 'json', events, source: { file, lines } };
}

/** 1-based line of each object opening at the given nesting depth. */
function elementLines(text: string, depth: number): number[] {
  const out: number[] = [];
  let line = 1;
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      if (level === depth && c === '{') out.push(line);
      level++;
    } else if (c === '}' || c === ']') level--;
  }
  return out;
}
