/** Reads a history file in any supported format, detecting it when asked. */
import { HistoryError } from './errors.ts';
import { parseJepsenEdn } from './jepsen-edn.ts';
import { parseJsonHistory } from './json.ts';
import { parsePorcupineEtcd } from './porcupine-etcd.ts';
import type { HistoryFormat, ParsedHistory } from './types.ts';

export type { HistoryFormat, ParsedHistory } from './types.ts';
export { HISTORY_FORMATS } from './types.ts';
export { HistoryError } from './errors.ts';

export function parseHistory(text: string, format: HistoryFormat | 'auto', file = '<history>'): ParsedHistory {
  const chosen = format === 'auto' ? detectFormat(text, file) : format;
  switch (chosen) {
    case 'porcupine-etcd':
      return parsePorcupineEtcd(text, file);
    case 'jepsen-edn':
      return parseJepsenEdn(text, file);
    case 'json':
      return parseJsonHistory(text, file);
    default: {
      const never: never = chosen;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
}

/**
 * JSON objects open with `{"`, EDN maps with `{:`; a log line starts with a level
 * and a logger name. Comments (`;`) only exist in EDN.
 */
export function detectFormat(text: string, file = '<history>'): HistoryFormat {
  const start = text.search(/\S/);
  if (start < 0) throw new HistoryError(`${file}: the file is empty (expected a history)`);
  const firstLine = text.slice(start, text.indexOf('\n', start) < 0 ? undefined : text.indexOf('\n', start));
  if (/^[A-Z]+\s+\S+\s+-\s/.test(firstLine)) return 'porcupine-etcd';
  if (text[start] === ';') return 'jepsen-edn';
  const firstToken = /^[[{\s,]*(["\]}:]|\S)/.exec(text.slice(start));
  const t = firstToken?.[1];
  if (t === '"' || t === ']' || t === '}') return 'json';
  if (t === ':' || text[start] === '(' || text[start] === '#') return 'jepsen-edn';
  throw new HistoryError(
    `${file}: cannot tell the format from the first line '${firstLine.slice(0, 60)}' (expected a Jepsen EDN map, JSON, or a Porcupine etcd log line; pass --format)`,
  );
}
