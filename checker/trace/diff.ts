/**
 * A structural diff of two JSON displays (Model.display), for replay output: what changed
 * in nodes, messages, durable stores, history. Objects are compared key by key.
 * Arrays are read as sequences or multisets (messages in flight, history): an
 * appended tail is shown as additions; otherwise the diff is the smaller of the
 * positional one and the multiset one (items removed, items added), which keeps a
 * sorted message multiset from showing as a cascade of shifted positions. A removed
 * and an added record with the same first field (`{"key": "k0", ...}`) are read as one
 * entity that changed, and diffed field by field. An array the model's layout names a
 * multiset (messages in flight) is always diffed as one: by position, delivering an INV
 * and sending an ACK in its slot would read as the INV turning into the ACK.
 */
import { canonicalJson } from './canonical-json.ts';
import { pathPattern } from './display-layout.ts';

export interface DiffOptions {
  /** Path patterns (display-layout.ts) of the arrays whose order means nothing. */
  readonly multisets?: ReadonlySet<string>;
}

export type Change =
  | { readonly kind: 'changed'; readonly path: string; readonly before: unknown; readonly after: unknown }
  | { readonly kind: 'added'; readonly path: string; readonly after: unknown }
  | { readonly kind: 'removed'; readonly path: string; readonly before: unknown };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path === '' ? key : /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function diffDisplays(before: unknown, after: unknown, path = '', options: DiffOptions = {}): Change[] {
  const out: Change[] = [];
  diffInto(before, after, path, out, options);
  return out;
}

function diffInto(before: unknown, after: unknown, path: string, out: Change[], options: DiffOptions): void {
  if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(before)) {
      if (!(key in after)) out.push({ kind: 'removed', path: join(path, key), before: before[key] });
      else diffInto(before[key], after[key], join(path, key), out, options);
    }
    for (const key of Object.keys(after)) {
      if (!(key in before)) out.push({ kind: 'added', path: join(path, key), after: after[key] });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(before, after, path, out, options);
    return;
  }
  if (canonicalJson(before) !== canonicalJson(after)) out.push({ kind: 'changed', path: path || '(state)', before, after });
}

/** The positions in `items` of the elements `others` does not match one for one. */
function unmatched(items: readonly string[], others: readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const s of others) counts.set(s, (counts.get(s) ?? 0) + 1);
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const c = counts.get(items[i]) ?? 0;
    if (c > 0) counts.set(items[i], c - 1);
    else out.push(i);
  }
  return out;
}

function diffArrays(before: unknown[], after: unknown[], path: string, out: Change[], options: DiffOptions): void {
  const b = before.map(canonicalJson);
  const a = after.map(canonicalJson);
  const multiset = options.multisets?.has(pathPattern(path)) ?? false;
  let prefix = 0;
  while (prefix < b.length && prefix < a.length && b[prefix] === a[prefix]) prefix++;
  if (prefix === b.length && !multiset) {
    for (let i = prefix; i < a.length; i++) out.push({ kind: 'added', path: `${path}[${i}]`, after: after[i] });
    return;
  }
  // Multiset difference, counting duplicates.
  const removed = unmatched(b, a);
  const added = unmatched(a, b);
  if (before.length === after.length && !multiset) {
    // Same length, no more positions touched than items swapped, and each touched item
    // mostly unchanged: an indexed collection (say, nodes by id) where one entity
    // changed a field or two, so a per-field diff reads best. A message replaced by
    // another in a multiset changes most of its fields and falls through.
    const positional: Change[] = [];
    let differing = 0;
    let sameEntities = true;
    for (let i = 0; i < b.length && sameEntities; i++) {
      if (b[i] === a[i]) continue;
      differing++;
      const inner = diffDisplays(before[i], after[i], `${path}[${i}]`, options);
      // Primitive slots (a timestamp's fields) are positions, not entities.
      const composite = typeof before[i] === 'object' && before[i] !== null;
      sameEntities = !composite || inner.length * 2 < leafCount(before[i]);
      positional.push(...inner);
    }
    if (sameEntities && differing <= removed.length) {
      out.push(...positional);
      return;
    }
  }
  // A record whose first field has the same value on both sides (a key's entry, a
  // buffer for a node) is the same entity updated: show its fields, not two blobs.
  const pairedAdds = new Set<number>();
  for (const i of removed) {
    // In a multiset two messages from one sender are two messages, not one that changed.
    const id = multiset ? null : identity(before[i]);
    const j = id === null ? -1 : added.find((k) => !pairedAdds.has(k) && identity(after[k]) === id) ?? -1;
    if (j >= 0) {
      pairedAdds.add(j);
      diffInto(before[i], after[j], `${path}[${j}]`, out, options);
    } else {
      out.push({ kind: 'removed', path: `${path}[]`, before: before[i] });
    }
  }
  for (const i of added) if (!pairedAdds.has(i)) out.push({ kind: 'added', path: `${path}[]`, after: after[i] });
}

/** `name=value` of a record's first field when it is a primitive, else null. */
function identity(value: unknown): string | null {
  if (!isRecord(value)) return null;
  const first = Object.keys(value)[0];
  if (first === undefined) return null;
  const v = value[first];
  return v === null || typeof v === 'object' ? null : `${first}=${JSON.stringify(v)}`;
}

function leafCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + leafCount(v), 0);
  if (isRecord(value)) return Object.values(value).reduce((n: number, v) => n + leafCount(v), 0);
  return 1;
}
