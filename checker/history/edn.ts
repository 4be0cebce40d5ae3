/**
 * A reader for EDN (extensible data notation), enough of it for Jepsen histories:
 * nil, booleans, numbers, strings, characters, keywords, symbols, lists, vectors,
 * maps, sets, `;` comments, `#_` discards and tagged literals (`#inst "..."` reads
 * as its value). Integers are exact (bigint past 2^53), as Clojure reads them;
 * decimals are doubles, as Clojure reads them without the M suffix. Every collection remembers the line it starts on, for errors.
 */
import { HistoryError } from './errors.ts';
import { integerValue } from './numbers.ts';

export class Keyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

export class EdnSymbol {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

export class EdnMap {
  constructor(
    readonly entries: readonly (readonly [EdnValue, EdnValue])[],
    readonly line: number,
  ) {}
  /** Value under the keyword `:name`. */
  get(name: string): EdnValue | undefined {
    for (const [k, v] of this.entries) if (k instanceof Keyword && k.name === name) return v;
    return undefined;
  }
}

export class EdnList {
  constructor(
    readonly items: readonly EdnValue[],
    readonly kind: 'vector' | 'list' | 'set',
    readonly line: number,
  ) {}
}

export type EdnValue = null | boolean | number | bigint | string | Keyword | EdnSymbol | EdnMap | EdnList;

/** Character classes by code unit: 1 whitespace (commas included), 2 delimiter. */
const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r,\f') CLASS[c.charCodeAt(0)] = 1;
for (const c of '()[]{}";') CLASS[c.charCodeAt(0)] = 2;
const INTEGER = /^[+-]?\d+N?$/;

export interface TopLevelForm {
  readonly value: EdnValue;
  readonly line: number;
}

/** Reads every top-level form of `text`. */
export function readEdn(text: string, file = '<edn>'): TopLevelForm[] {
  let pos = 0;
  let line = 1;
  const fail = (what: string, at = line): never => {
    throw new HistoryError(`${file}:${at}: ${what}`);
  };

  // Keywords repeat on every line of a history (:process, :type, :invoke, ...): one object each.
  const keywords = new Map<string, Keyword>();

  const skipSpace = (): void => {
    const n = text.length;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        pos++;
      } else if (c < 128 && CLASS[c] === 1) pos++;
      else if (c === 59) {
        while (pos < n && text.charCodeAt(pos) !== 10) pos++;
      } else break;
    }
  };

  const readToken = (): string => {
    const start = pos;
    const n = text.length;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c < 128 && CLASS[c] !== 0) break;
      pos++;
    }
    return text.slice(start, pos);
  };

  const readString = (): string => {
    const startLine = line;
    pos++; // opening quote
    // Most strings have no escape: one slice, not a string grown by one character at a time
    // (that cost more than the rest of reading a kv history, most of it in the collector).
    const n = text.length;
    let end = pos;
    for (; end < n; end++) {
      const c = text.charCodeAt(end);
      if (c === 34 || c === 92) break;
      if (c === 10) line++;
    }
    let out = text.slice(pos, end);
    pos = end;
    if (end < n && text.charCodeAt(end) === 34) {
      pos++;
      return out;
    }
    for (;;) {
      if (pos >= text.length) fail('unterminated string (expected a closing ")', startLine);
      const c = text[pos++];
      if (c === '"') return out;
      if (c === '\n') line++;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const esc = text[pos++];
      switch (esc) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '"':
        case '\\':
          out += esc;
          break;
        case 'u': {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`bad unicode escape \\u${hex} in string`);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          fail(`unknown escape \\${esc ?? ''} in string`);
      }
    }
  };

  const readCollection = (close: string, what: string): EdnValue[] => {
    const startLine = line;
    pos++;
    const items: EdnValue[] = [];
    for (;;) {
      skipSpace();
      if (pos >= text.length) fail(`unterminated ${what} (expected '${close}' before the end of the file)`, startLine);
      const c = text[pos];
      if (c === close) {
        pos++;
        return items;
      }
      if (c === ')' || c === ']' || c === '}') fail(`unexpected '${c}' inside a ${what} opened at line ${startLine}`);
      const v = readForm();
      if (v !== DISCARDED) items.push(v);
    }
  };

  const DISCARDED = Symbol('discarded');

  const readAtom = (token: string): EdnValue => {
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token.charCodeAt(0) === 58) {
      if (token.length === 1) fail(`a lone ':' is not a keyword`);
      let k = keywords.get(token);
      if (k === undefined) {
        k = new Keyword(token.slice(1));
        keywords.set(token, k);
      }
      return k;
    }
    if (INTEGER.test(token)) return integerValue(token.endsWith('N') ? token.slice(0, -1) : token);
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(token)) return Number(token.replace(/M$/, ''));
    if (/^[+-]?\d+\/\d+$/.test(token)) {
      const [a, b] = token.split('/').map(Number);
      return a / b;
    }
    if (/^[+-]?\d/.test(token)) fail(`bad number '${token}'`);
    return new EdnSymbol(token);
  };

  const readForm = (): EdnValue | typeof DISCARDED => {
    skipSpace();
    if (pos >= text.length) fail('unexpected end of file (expected a value)');
    const startLine = line;
    const c = text[pos];
    switch (c) {
      case '"':
        return readString();
      case '[':
        return new EdnList(readCollection(']', 'vector'), 'vector', startLine);
      case '(':
        return new EdnList(readCollection(')', 'list'), 'list', startLine);
      case '{': {
        const items = readCollection('}', 'map');
        if (items.length % 2 !== 0) fail(`map has an odd number of forms (a key without a value)`, startLine);
        const entries: [EdnValue, EdnValue][] = [];
        for (let i = 0; i < items.length; i += 2) entries.push([items[i], items[i + 1]]);
        return new EdnMap(entries, startLine);
      }
      case ')':
      case ']':
      case '}':
        return fail(`unexpected '${c}'`);
      case '\\': {
        pos++;
        const name = text[pos] + readTokenAfterFirst();
        const named: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r' };
        return named[name] ?? (name.length === 1 ? name : fail(`unknown character literal \\${name}`));
      }
      case '#': {
        const next = text[pos + 1];
        if (next === '{') {
          pos++;
          return new EdnList(readCollection('}', 'set'), 'set', startLine);
        }
        if (next === '_') {
          pos += 2;
          readForm();
          return DISCARDED;
        }
        pos++;
        const tag = readToken();
        if (tag === '') fail(`'#' must start a set, a discard or a tagged value`);
        const v = readForm();
        return v === DISCARDED ? fail(`tag #${tag} has no value`) : v;
      }
      default: {
        const token = readToken();
        if (token === '') fail(`unexpected character '${c}'`);
        return readAtom(token);
      }
    }
  };

  const readTokenAfterFirst = (): string => {
    pos++;
    return readToken();
  };

  const forms: TopLevelForm[] = [];
  for (;;) {
    skipSpace();
    if (pos >= text.length) return forms;
    const startLine = line;
    const v = readForm();
    if (v !== DISCARDED) forms.push({ value: v, line: startLine });
  }
}
