/**
 * Text rendering of replay steps and outcomes for people at a terminal. A step prints
 * one line per entity it touched (`n3.keys[k1]: value 0 -> 1; ts 0.0 -> 1.0`), entities
 * named by their first field where they have one, so a 35-step trace fits on a screen
 * or two; `--json` keeps the exact data.
 */
import type { Change } from './diff.ts';
import { whyNotReproduced, type ReplayOutcome } from './replay.ts';

const MAX_VALUE_CHARS = 160;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function renderValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}

export function renderChange(change: Change): string {
  switch (change.kind) {
    case 'changed':
      return `${change.path}: ${renderValue(change.before)} -> ${renderValue(change.after)}`;
    case 'added':
      return `${change.path} + ${renderValue(change.after)}`;
    case 'removed':
      return `${change.path} - ${renderValue(change.before)}`;
    default: {
      const unreachable: never = change;
      return String(unreachable);
    }
  }
}

/** A record's first field, when it is a string: what names the entity (`node: "n0"`). */
function identityOf(value: unknown): string | null {
  if (!isRecord(value)) return null;
  const first = Object.keys(value)[0];
  if (first === undefined) return null;
  const v = value[first];
  return typeof v === 'string' ? v : null;
}

const BARE = /^[\w.:>/@#-]+$/;

/**
 * A value the way a person writes it: strings bare where that is unambiguous, records as
 * `{ts:1.0 value:2}`; an item of a list (`item`) as `{k1 ts:1.0 value:2}`, the naming
 * first field given by its value alone.
 */
export function compactValue(value: unknown, top = true, item = false): string {
  let text: string;
  if (typeof value === 'string') text = top || BARE.test(value) ? value : JSON.stringify(value);
  else if (Array.isArray(value)) text = `[${value.map((v) => compactValue(v, false, true)).join(' ')}]`;
  else if (isRecord(value)) {
    const entries = Object.entries(value);
    const id = item ? identityOf(value) : null;
    const parts = entries.map(([k, v], i) => (i === 0 && id !== null ? compactValue(v, false) : `${k}:${compactValue(v, false)}`));
    text = `{${parts.join(' ')}}`;
  } else text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}

type Segment = { readonly field: string } | { readonly index: number | null };

/** `nodes[2].keys[0].ts` as segments; `[]` (an item of a multiset) has no index. */
function segmentsOf(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /([A-Za-z_$][\w$-]*)|\[(\d*)\]|\[("(?:[^"\\]|\\.)*")\]|\./g;
  for (let m = re.exec(path); m !== null; m = re.exec(path)) {
    if (m[1] !== undefined) out.push({ field: m[1] });
    else if (m[2] !== undefined) out.push({ index: m[2] === '' ? null : Number(m[2]) });
    else if (m[3] !== undefined) out.push({ field: JSON.parse(m[3]) as string });
  }
  return out;
}

/**
 * Readable names for the entities along `segments` in `display`: an array item by its first
 * field's value (`keys[k0]`), an item of a top-level collection of `entities` by that
 * value alone (`n2`).
 */
function labelsOf(segments: readonly Segment[], display: unknown, entities: ReadonlySet<string>): string[] {
  const parts: string[] = [];
  let node: unknown = display;
  let pendingField: string | null = null;
  for (const s of segments) {
    if ('field' in s) {
      if (pendingField !== null) parts.push(pendingField);
      pendingField = s.field;
      node = isRecord(node) ? node[s.field] : undefined;
      continue;
    }
    const item = Array.isArray(node) && s.index !== null ? node[s.index] : undefined;
    const id = identityOf(item);
    if (parts.length === 0 && id !== null && entities.has(pendingField ?? '')) parts.push(id);
    else parts.push(`${pendingField ?? ''}[${id ?? s.index ?? ''}]`);
    pendingField = null;
    node = item;
  }
  if (pendingField !== null) parts.push(pendingField);
  return parts;
}

/**
 * Where a change is shown: the line of the top-level entity it belongs to (a node, the
 * messages; '' for the display's plain fields, which share one line), the part within it,
 * and the field. An item added to or removed from an array belongs to the array's owner,
 * under the array's name.
 */
function placeOf(change: Change, display: unknown, entities: ReadonlySet<string>): { line: string; part: string; field: string } {
  const segments = segmentsOf(change.path);
  const inCollection = segments.length > 1 && 'index' in segments[1]!;
  while (segments.length > 0 && 'index' in segments[segments.length - 1]!) segments.pop();
  const last = segments.pop();
  const field = last && 'field' in last ? last.field : '';
  if (segments.length === 0) return inCollection ? { line: field, part: '', field: '' } : { line: '', part: '', field: field || '(state)' };
  const parts = labelsOf(segments, display, entities);
  if (!inCollection) return { line: '', part: parts.join('.'), field };
  return { line: parts[0]!, part: parts.slice(1).join('.'), field };
}

function renderItem(change: Change, field: string): string {
  const name = field === '' ? '' : `${field} `;
  const item = change.path.endsWith(']');
  switch (change.kind) {
    case 'changed':
      return `${name}${compactValue(change.before, true, item)} -> ${compactValue(change.after, true, item)}`;
    case 'added':
      return `${name}+ ${compactValue(change.after, true, item)}`;
    case 'removed':
      return `${name}- ${compactValue(change.before, true, item)}`;
    default: {
      const unreachable: never = change;
      return String(unreachable);
    }
  }
}

/** `- a, - b, + c` as `- a, b, + c`: a delivery and the reply it sends, at a glance. */
function joinItems(items: readonly string[]): string {
  const out: string[] = [];
  let sign = '';
  for (const item of items) {
    const m = /^([+-]) /.exec(item);
    if (m !== null && m[1] === sign) out.push(item.slice(2));
    else out.push(item);
    sign = m?.[1] ?? '';
  }
  // Items that hold commas themselves (`INV(k1, ts 1.0)`) are told apart by a bar.
  return out.join(items.some((i) => i.includes(', ')) ? ' | ' : ', ');
}

/**
 * One step: its action, then one line per entity it changed. `display` is the state after
 * the step, used to name array items (without it they are named by position);
 * `entities` are the top-level collections whose items are named alone (DisplayLayout).
 */
export function renderStep(number: number, description: string, changes: readonly Change[], display?: unknown, entities: readonly string[] = []): string {
  const named = new Set(entities);
  const lines = new Map<string, Map<string, string[]>>();
  for (const c of changes) {
    const { line, part, field } = placeOf(c, display, named);
    let parts = lines.get(line);
    if (!parts) lines.set(line, (parts = new Map()));
    let items = parts.get(part);
    if (!items) parts.set(part, (items = []));
    items.push(renderItem(c, field));
  }
  const out = [`step ${number}: ${description}${changes.length === 0 ? ' (changes nothing)' : ''}`];
  for (const [line, parts] of lines) {
    const text = [...parts].map(([part, items]) => `${part === '' ? '' : `${part} `}${joinItems(items)}`).join('; ');
    out.push(`    ${line === '' ? '' : `${line}: `}${text}`);
  }
  return out.join('\n');
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
}

/** An array of records that themselves hold arrays of records: a collection of entities, one line each. */
function isEntityList(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => identityOf(x) !== null && Object.values(x as object).some((f) => Array.isArray(f) && f.some(isRecord)));
}

/** Repeated items once, with a count: the same message twice in flight is `x ×2`. */
function counted(items: readonly unknown[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const text = compactValue(item, true, true);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text));
}

function outline(value: Record<string, unknown>, indent: string, label: string | null, entities: ReadonlySet<string>, out: string[]): void {
  const top = label === null;
  const inline: string[] = [];
  const below: (() => void)[] = [];
  const deeper = top ? indent : `${indent}  `;
  Object.entries(value).forEach(([k, v], i) => {
    if (!top && i === 0 && identityOf(value) !== null) return; // the label names it
    if (isEmpty(v)) return;
    if (isEntityList(v)) {
      below.push(() => v.forEach((item) => outline(item, deeper, top && entities.has(k) ? identityOf(item)! : `${k}[${identityOf(item)}]`, entities, out)));
    } else if (Array.isArray(v) && (v.some((x) => typeof x === 'object' && x !== null) || (top && v.length > 1))) {
      below.push(() => out.push(`${deeper}${k} (${v.length}): ${counted(v).join('; ')}`));
    } else if (isRecord(v) && Object.values(v).some((f) => typeof f === 'object' && f !== null)) {
      below.push(() => outline(v, deeper, k, entities, out));
    } else {
      inline.push(`${k} ${compactValue(v)}`);
    }
  });
  const head = top ? inline.join('; ') : `${label}: ${inline.join('; ')}`.trimEnd();
  if (head !== '') out.push(`${indent}${head}`);
  for (const f of below) f();
}

/**
 * The state a replay stopped in, compactly: scalars on one line, each entity of a
 * collection (a node) on a line of its own with its lists below it; empty fields left
 * out. `hidden` names what the display left out (DisplayLayout.internals), so the reader
 * knows where to find it.
 */
export function renderFinalState(display: unknown, steps: number, entities: readonly string[] = [], hidden: readonly string[] = []): string {
  const lines = [`state after step ${steps}${hidden.length > 0 ? ` (--verbose adds ${hidden.join(', ')})` : ''}:`];
  if (isRecord(display)) outline(display, '    ', null, new Set(entities), lines);
  else lines.push(`    ${compactValue(display)}`);
  return lines.join('\n');
}

export function renderOutcome(outcome: ReplayOutcome): string {
  const why = whyNotReproduced(outcome);
  if (why === null && outcome.kind === 'reproduced') {
    return `violated: ${outcome.property}: ${outcome.message}\nreproduced as recorded (${outcome.steps} steps)`;
  }
  return `no longer reproduces: ${why}`;
}
