/**
 * Applying a model's DisplayLayout to its displays: which arrays are multisets, and what a
 * reader sees without --verbose (the display minus the checker's own bookkeeping).
 */
import type { DisplayLayout } from '../model.ts';

/** `nodes[2].keys[0]` and `nodes[].keys[]` both read as the pattern `nodes[].keys[]`. */
export function pathPattern(path: string): string {
  return path.replace(/\[(?:\d+|"(?:[^"\\]|\\.)*")?\]/g, (m) => (m.startsWith('["') ? m : '[]'));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function withoutPaths(value: unknown, hidden: ReadonlySet<string>, path: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutPaths(v, hidden, `${path}[]`));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const p = path === '' ? key : `${path}.${key}`;
    if (!hidden.has(p)) out[key] = withoutPaths(v, hidden, p);
  }
  return out;
}

/** The display a reader sees: the layout's internals removed unless `verbose`. */
export function visibleDisplay(display: unknown, layout: DisplayLayout | undefined, verbose: boolean): unknown {
  const internals = layout?.internals ?? [];
  if (verbose || internals.length === 0) return display;
  return withoutPaths(display, new Set(internals), '');
}
