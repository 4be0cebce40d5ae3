/**
 * A JSON reader for histories. JSON.parse cannot be used: it rounds integers past
 * 2^53 (a write of 9007199254740993 would read as 9007199254740992 and the checker
 * would wrongly accept a read of it) and its errors give a character offset, not a
 * line and column. Integers outside the safe range read as bigint (see
 * checker/history/numbers.ts); every array and object remembers its line.
 */
import { HistoryError } from './errors.ts';
import { integerValue } from './numbers.ts';

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [k: string]: JsonValue };

export interface JsonDocument {
  readonly value: JsonValue;
  /** 1-based line on which each array and object opens. */
  readonly lineOf: WeakMap<object, number>;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** `lineOffset` numbers the lines of a fragment (one line of a JSON Lines file). */
export function readJson(text: string, file = '<json>', lineOffset = 0): JsonDocument {
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const lineOf = new WeakMap<object, number>();

  const fail = (what: string): never => {
    const got = pos >= text.length ? 'the end of the input' : `'${text[pos]}'`;
    throw new HistoryError(`${file}:${line + lineOffset}:${pos - lineStart + 1}: ${what}, got ${got}`);
  };
  const space = (): void => {
    for (; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        lineStart = pos + 1;
      } else if (c !== 32 && c !== 9 && c !== 13) return;
    }
  };
  const string = (): string => {
    pos++;
    let out = '';
    for (;;) {
      const end = text.indexOf('"', pos);
      const slash = text.indexOf('\\', pos);
      if (end < 0) {
        pos = text.length;
        fail(`unterminated string (expected a closing '"')`);
      }
      if (slash < 0 || slash > end) {
        const chunk = text.slice(pos, end);
        if (/[\u0000-\u001f]/.test(chunk)) {
          pos += chunk.search(/[\u0000-\u001f]/);
          fail('expected an escape sequence instead of a control character in a string');
        }
        out += chunk;
        pos = end + 1;
        return out;
      }
      out += text.slice(pos, slash);
      pos = slash + 1;
      const esc = text[pos];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc !== undefined && esc in simple) {
        out += simple[esc];
        pos++;
      } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 1, pos + 5))) {
        out += String.fromCharCode(parseInt(text.slice(pos + 1, pos + 5), 16));
        pos += 5;
      } else fail(`expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`);
    }
  };
  /** The members of an object or array, `pos` at its opening bracket: each read by `member`, which says what it read for errors. */
  const members = (close: '}' | ']', member: () => string): void => {
    pos++;
    space();
    if (text[pos] === close) {
      pos++;
      return;
    }
    for (;;) {
      const what = member();
      space();
      if (text[pos] === ',') pos++;
      else if (text[pos] === close) {
        pos++;
        return;
      } else fail(`expected ',' or '${close}' after ${what}`);
    }
  };
  const value = (): JsonValue => {
    space();
    const c = text[pos];
    if (c === '{') {
      const obj: { [k: string]: JsonValue } = {};
      lineOf.set(obj, line + lineOffset);
      members('}', () => {
        space();
        if (text[pos] !== '"') fail(`expected a quoted field name`);
        const k = string();
        space();
        if (text[pos] !== ':') fail(`expected ':' after the field name "${k}"`);
        pos++;
        obj[k] = value();
        return `the value of "${k}"`;
      });
      return obj;
    }
    if (c === '[') {
      const arr: JsonValue[] = [];
      lineOf.set(arr, line + lineOffset);
      members(']', () => {
        arr.push(value());
        return 'an array element';
      });
      return arr;
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) {
      pos += m[0].length;
      return m[1] === undefined && m[2] === undefined ? integerValue(m[0]) : Number(m[0]);
    }
    return fail('expected a value (an object, array, string, number, true, false or null)');
  };

  const v = value();
  space();
  if (pos < text.length) fail('expected the end of the input after the value');
  return { value: v, lineOf };
}
