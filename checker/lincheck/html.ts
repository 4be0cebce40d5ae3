/**
 * One self-contained HTML page (inline CSS and SVG, no external asset; a two-line inline
 * script only scrolls the failure into view): one section per key, each with its own
 * numbering, one lane per process whose label stays in view while the timeline scrolls
 * sideways, each operation a bar from invocation to completion under an axis of event
 * numbers and, where the history records them, times. Operations are numbered in their
 * (partial) linearization order and carry the model state before and after them in
 * their tooltip; the operation that cannot be placed is red, anchored and linked from
 * the top. Past `maxOps` operations the page summarizes: the failing key's operations
 * around the failure, and counts for the rest (a 354k-operation history once made a
 * 73 MB page that took two minutes to render).
 */
import { ILLEGAL, describeOp, describeState, type SeqModel } from '../../spec/models/types.ts';
import type { CheckResult } from './check.ts';
import { formatExplanation } from './explain.ts';
import { formatAnomaly } from './anomaly.ts';
import type { Operation } from './operation.ts';
import { partitionByKey, type Partition } from './partition.ts';

export interface HtmlOptions {
  /** Recorded time of each event (index = Operation.call/ret), when the history has them. */
  readonly eventTimes?: readonly (number | undefined)[];
  /** How to name the recorded times on the axis (`ns`), when known. */
  readonly timeUnit?: string;
  /** Past this many operations in all, summarize (default 5,000). */
  readonly maxOps?: number;
  /** Operations of the failing key shown around the failure when summarizing (default 1,000). */
  readonly windowOps?: number;
}

export const DEFAULT_MAX_OPS = 5_000;
export const DEFAULT_WINDOW_OPS = 1_000;
/** Rows of the per-key table when summarizing: past it, one line of totals. */
const MAX_TABLE_ROWS = 200;
/** Lines of the explanation under "Why": past it, its head and tail. */
const MAX_DETAIL_LINES = 200;

const ROW = 30;
const BAR = 22;
const AXIS = 34;
/** Width of one character of the 11px monospace bar labels, rounded up. */
const CHAR = 6.7;
const MIN_TICK_GAP = 70;

interface OpInfo {
  /** 1-based place in the key's (partial) linearization. */
  readonly n?: number;
  readonly before?: string;
  readonly after?: string;
}

function key(k: string | undefined): string {
  return k === undefined ? '(none: one object)' : JSON.stringify(k);
}

/** States along an order of operations: what each saw before it and left after it. */
function statesAlong<S>(model: SeqModel<S>, order: readonly Operation[], into: Map<number, OpInfo>): void {
  let state = model.init();
  for (const [i, op] of order.entries()) {
    const next = model.ops[op.f]?.step(state, op.input, op.output);
    if (next === undefined || next === ILLEGAL) {
      into.set(op.id, { n: i + 1 });
      break;
    }
    into.set(op.id, { n: i + 1, before: describeState(model, state), after: describeState(model, next) });
    state = next;
  }
}

/** The partition the page is about: the failing key, the key that ran out of budget, else none. */
function focusKey(result: CheckResult): { key: string | undefined } | null {
  if (result.explanation) return { key: result.explanation.key };
  if (result.anomaly) return { key: result.anomalyKey };
  if (result.result === 'unknown') return { key: result.unfinishedKey };
  return null;
}

/** The focus operation: the one that cannot be placed, else the first the anomaly names. */
function failingOp(result: CheckResult): Operation | undefined {
  return result.explanation?.blocked ?? result.anomaly?.ops[0];
}

/**
 * At most `limit` operations of `ops` around `center` in invocation order, with every
 * operation of `must` (the failure's window: what runs concurrently with it).
 */
function windowAround(ops: readonly Operation[], center: Operation | undefined, limit: number, must: readonly Operation[]): Operation[] {
  const byCall = [...ops].sort((a, b) => a.call - b.call);
  const at = center === undefined ? 0 : Math.max(0, byCall.findIndex((op) => op.id === center.id));
  const from = Math.max(0, Math.min(at - Math.floor(limit / 2), byCall.length - limit));
  const picked = new Map(byCall.slice(from, from + limit).map((op) => [op.id, op]));
  for (const op of must) picked.set(op.id, op);
  return [...picked.values()].sort((a, b) => a.call - b.call);
}

/** Greedy rows within a lane: an operation that starts before the previous one ended goes below it. */
function rowsOf(ops: readonly Operation[]): { row: Map<number, number>; rows: number } {
  const ends: number[] = [];
  const row = new Map<number, number>();
  for (const op of [...ops].sort((a, b) => a.call - b.call)) {
    let r = ends.findIndex((end) => end < op.call);
    if (r < 0) r = ends.push(0) - 1;
    ends[r] = op.ret;
    row.set(op.id, r);
  }
  return { row, rows: Math.max(1, ends.length) };
}

/** Text cut to what fits in `width` pixels, or '' when not even two characters do. */
function fit(text: string, width: number): string {
  const chars = Math.floor((width - 6) / CHAR);
  if (chars >= text.length) return text;
  return chars < 2 ? '' : `${text.slice(0, chars - 1)}…`;
}

interface TimelineInput<S> {
  readonly id: string;
  readonly ops: readonly Operation[];
  readonly model: SeqModel<S>;
  readonly info: ReadonlyMap<number, OpInfo>;
  readonly blocked: number | undefined;
  /** The section has a partial linearization (the explanation's): unnumbered operations are outside it. */
  readonly explained: boolean;
  readonly window: ReadonlySet<number>;
  readonly options: HtmlOptions;
}

function timeline<S>(t: TimelineInput<S>): string {
  const { ops, model, info, options } = t;
  const processes = [...new Set(ops.map((op) => op.process))].sort((a, b) => a - b);
  const events = [...new Set(ops.flatMap((op) => (op.ret === Infinity ? [op.call] : [op.call, op.ret])))].sort((a, b) => a - b);
  const column = new Map(events.map((e, i) => [e, i]));
  const labelOf = (op: Operation): string => {
    const n = info.get(op.id)?.n;
    return `${n === undefined ? '' : `${n}. `}${describeOp(model, op.f, op.input, op.output)}`;
  };
  // Wide enough columns that three labels in four fit their bar, within 16-100 px.
  const needs = ops
    .map((op) => (labelOf(op).length * CHAR + 8) / Math.max(1, (op.ret === Infinity ? events.length : column.get(op.ret)!) - column.get(op.call)!))
    .sort((a, b) => a - b);
  const unit = Math.round(Math.min(100, Math.max(16, needs[Math.floor(needs.length * 0.75)] ?? 16)));
  const width = (events.length + 2) * unit;
  const xOf = (e: number): number => (e === Infinity ? width - unit / 2 : column.get(e)! * unit + unit / 2);

  const laneTop = new Map<number, number>();
  const rowOf = new Map<number, number>();
  const labels: string[] = [];
  let y = AXIS;
  for (const p of processes) {
    const mine = ops.filter((op) => op.process === p);
    const { row, rows } = rowsOf(mine);
    for (const [id, r] of row) rowOf.set(id, r);
    laneTop.set(p, y);
    labels.push(`<div class="lane" style="height:${rows * ROW}px">process ${p}</div>`);
    y += rows * ROW;
  }
  const height = y + 6;

  const times = options.eventTimes;
  const timed = times !== undefined && events.every((e) => times[e] !== undefined);
  const axisName = timed ? `time${options.timeUnit ? ` (${options.timeUnit})` : ''}` : 'event';
  const tickLabel = (e: number): string => (timed ? String(times![e]) : `#${e + 1}`);
  // Ticks far enough apart for the widest label (10px monospace: about 6.2 px a character).
  const widest = events.reduce((m, e) => Math.max(m, tickLabel(e).length), 0);
  const every = Math.max(1, Math.ceil(Math.max(MIN_TICK_GAP, widest * 6.2 + 12) / unit));
  const ticks: string[] = [];
  for (let i = 0; i < events.length; i += every) {
    const e = events[i]!;
    const x = xOf(e);
    const label = tickLabel(e);
    ticks.push(`<line class="tick" x1="${x}" y1="${AXIS - 8}" x2="${x}" y2="${height}"/><text class="tick" x="${x + 2}" y="${AXIS - 12}">${esc(label)}</text>`);
  }

  const bars = ops.map((op) => {
    const x0 = xOf(op.call);
    const x1 = xOf(op.ret);
    const w = Math.max(x1 - x0, 6);
    const top = laneTop.get(op.process)! + rowOf.get(op.id)! * ROW + (ROW - BAR) / 2;
    const blocked = t.blocked === op.id;
    const about = info.get(op.id);
    const cls = blocked ? 'blocked' : about?.n !== undefined ? 'linearized' : 'other';
    const text = describeOp(model, op.f, op.input, op.output);
    const where = op.callLine === undefined ? `events ${op.call + 1}-${op.ret === Infinity ? 'end' : op.ret + 1}` : `lines ${op.callLine}-${op.retLine ?? 'end'}`;
    const tip = [`process ${op.process}: ${text}   [${where}]`];
    if (about?.n !== undefined) {
      tip.push(`#${about.n} in the ${t.blocked === undefined ? '' : 'partial '}linearization`);
      if (about.before !== undefined) tip.push(`state before: ${about.before}`, `state after: ${about.after}`);
    } else if (blocked) tip.push(t.explained ? 'cannot be placed after the longest partial linearization found' : 'the first operation the anomaly names (see Why, below)');
    else if (t.explained) tip.push('not in the partial linearization found');
    const label = fit(labelOf(op), w);
    return [
      `<g class="op ${cls}${t.window.has(op.id) ? ' window' : ''}${op.ret === Infinity ? ' open' : ''}"${blocked ? ' id="failing-op"' : ''}>`,
      `<title>${esc(tip.join('\n'))}</title>`,
      `<rect x="${x0}" y="${top}" width="${w}" height="${BAR}" rx="3"/>`,
      label === '' ? '' : `<text x="${x0 + 3}" y="${top + 15}">${esc(label)}</text>`,
      `</g>`,
    ].join('');
  });
  return `<div class="timeline" id="${t.id}-timeline"><div class="lanes"><div class="axis" style="height:${AXIS}px">${esc(axisName)}</div>${labels.join('')}</div>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
${ticks.join('\n')}
${bars.join('\n')}
</svg></div>`;
}

export function renderHtml<S>(title: string, ops: readonly Operation[], model: SeqModel<S>, result: CheckResult, options: HtmlOptions = {}): string {
  const maxOps = options.maxOps ?? DEFAULT_MAX_OPS;
  const windowOps = Math.min(options.windowOps ?? DEFAULT_WINDOW_OPS, maxOps);
  const e = result.explanation;
  const parts = partitionByKey(ops);
  const focus = focusKey(result);
  const focusIndex = focus === null ? -1 : parts.findIndex((p) => p.key === focus.key);
  const blocked = failingOp(result);

  // Numbering and states: the partial linearization of the failing key, the found order of every other.
  const info = new Map<number, OpInfo>();
  if (e) statesAlong(model, e.longest, info);
  if (result.result === 'ok' && result.linearizations) {
    const byId = new Map(ops.map((op) => [op.id, op]));
    // A partition decided without search has no order (and may be a hole in the array).
    for (const order of result.linearizations) if (order) statesAlong(model, order.map((id) => byId.get(id)!), info);
  }
  const inWindow = new Set((e?.window ?? result.anomaly?.ops ?? []).map((op) => op.id));

  const summarized = ops.length > maxOps;
  const order = parts.map((_, i) => i);
  if (focusIndex > 0) order.unshift(...order.splice(focusIndex, 1));
  const sections: string[] = [];
  let table: { part: Partition; index: number }[] = [];
  let shownCount = ops.length;
  if (!summarized) {
    for (const i of order) sections.push(section(parts[i]!, i, parts[i]!.ops, i === focusIndex));
  } else {
    const shownIndex = focusIndex >= 0 ? focusIndex : 0;
    const part = parts[shownIndex]!;
    const shown = windowAround(part.ops, focusIndex >= 0 ? blocked : undefined, windowOps, focusIndex >= 0 ? (e?.window ?? result.anomaly?.ops ?? []) : []);
    shownCount = shown.length;
    sections.push(section(part, shownIndex, shown, focusIndex >= 0));
    table = order.filter((i) => i !== shownIndex).map((i) => ({ part: parts[i]!, index: i }));
  }

  function section(part: Partition, index: number, shown: readonly Operation[], failing: boolean): string {
    const processes = new Set(part.ops.map((op) => op.process)).size;
    const partial = shown.length < part.ops.length ? `; showing ${shown.length} around ${failing && blocked ? 'the failure' : 'the start'}` : '';
    const state = failing ? (result.result === 'unknown' ? ' (ran out of budget here)' : ' (not linearizable)') : '';
    const numbered = shown.some((op) => info.get(op.id)?.n !== undefined)
      ? `; numbers count this key's ${failing && e ? 'partial ' : ''}linearization from 1`
      : failing ? '' : result.result === 'ok' ? ' (decided without search: no order to number)' : '';
    return `<section id="part-${index}"><h2>key ${esc(key(part.key))}${state}</h2>
<p class="meta">${plural(part.ops.length, 'operation')} by ${plural(processes, 'process', 'processes')}${esc(partial)}${numbered}.</p>
${timeline({ id: `part-${index}`, ops: shown, model, info, blocked: failing ? blocked?.id : undefined, explained: failing && e !== undefined, window: failing ? inWindow : new Set(), options })}
</section>`;
  }

  const verdict =
    result.result === 'ok' ? 'linearizable' : result.result === 'illegal' ? 'NOT linearizable' : `unknown (${result.reason ?? 'time'} budget reached)`;
  const anomaly = result.anomaly ? formatAnomaly(model, result.anomaly, result.anomalyKey) : [];
  const details = capped([...anomaly, ...(e ? formatExplanation(model, e) : [])]).join('\n');
  const jump =
    blocked !== undefined && focusIndex >= 0
      ? `<p class="jump"><a href="#failing-op">Jump to ${e ? 'the operation that cannot be placed' : "the anomaly's first operation"}</a>: key ${esc(key(blocked.key))}, process ${blocked.process}, ${esc(describeOp(model, blocked.f, blocked.input, blocked.output))}</p>`
      : '';
  const rows = table.slice(0, MAX_TABLE_ROWS).map(
    ({ part }) => `<tr><td>${esc(key(part.key))}</td><td>${part.ops.length}</td><td>${new Set(part.ops.map((op) => op.process)).size}</td></tr>`,
  );
  const rest = table.slice(MAX_TABLE_ROWS);
  const restOps = rest.reduce((n, { part }) => n + part.ops.length, 0);
  const summary = summarized
    ? `<p class="summary"><strong>Summarized:</strong> this history has ${ops.length} operations, past this page's limit of ${maxOps}. It shows ${
        focusIndex >= 0
          ? `${shownCount} operations of key ${esc(key(parts[focusIndex]!.key))} around ${blocked ? 'the failure' : 'the start'}`
          : `the first ${shownCount} operations of key ${esc(key(parts[0]!.key))}`
      }${table.length > 0 ? `, and counts for the other ${plural(table.length, 'key')}` : ''}.</p>`
    : '';
  const others = summarized && table.length > 0
    ? `<section id="other-keys"><h2>Other keys (counts only)</h2><table><tr><th>key</th><th>operations</th><th>processes</th></tr>${rows.join('')}${
        rest.length > 0 ? `<tr><td>and ${rest.length} more key(s)</td><td>${restOps}</td><td></td></tr>` : ''
      }</table></section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}: ${verdict}</title>
<style>
body{font:14px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px} h2{font-size:15px;margin:18px 0 4px} .meta{margin:2px 0 6px;color:#555}
.verdict{font-weight:bold;color:${result.result === 'ok' ? '#17803d' : result.result === 'illegal' ? '#b42318' : '#8a6d00'}}
.jump{font-weight:bold} .summary{background:#fff7e0;border:1px solid #e5c36a;padding:6px 10px}
.timeline{display:flex;overflow-x:auto;border:1px solid #ddd;max-height:80vh}
.lanes{position:sticky;left:0;z-index:1;flex:none;background:#fff;border-right:1px solid #ccc}
.lanes div{padding:0 8px;font:12px system-ui,sans-serif;color:#444;white-space:nowrap;display:flex;align-items:center;box-sizing:border-box}
.lanes .lane{border-top:1px solid #eee} .lanes .axis{color:#888;font-style:italic}
svg{flex:none} svg text{font:11px monospace;pointer-events:none}
svg text.tick{fill:#888;font:10px monospace} line.tick{stroke:#eee}
.op rect{fill:#d0d5dd;stroke:#98a2b3}
.op.linearized rect{fill:#b7e4c7;stroke:#2d6a4f}
.op.blocked rect{fill:#fda29b;stroke:#b42318;stroke-width:2}
.op.window rect{stroke-width:2.5;stroke-dasharray:5 2}
.op.open rect{fill-opacity:.45}
.op:hover rect{stroke:#000}
pre{background:#f6f7f9;padding:10px;overflow-x:auto}
table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
.legend span{display:inline-block;padding:2px 8px;margin-right:8px;border:1px solid #98a2b3}
</style></head><body>
<h1>${esc(title)}: <span class="verdict">${verdict}</span></h1>
${jump}
<p>${plural(result.operations, 'operation')}, ${plural(result.partitions, 'key')}, one section each${focusIndex > 0 ? ', the failing key first' : ''}. Time runs left to right in event order (one column per invocation or completion; the axis gives ${
    options.eventTimes ? 'the recorded time where every shown event has one, else ' : ''
  }the event number). Hover an operation for its lines and the model state before and after it.</p>
${summary}
<p class="legend"><span style="background:#b7e4c7">linearized</span><span style="background:#fda29b">cannot be placed</span><span style="background:#d0d5dd">not placed</span><span style="border-style:dashed">concurrent window</span><span style="opacity:.6">never returned</span></p>
${sections.join('\n')}
${others}
${details ? `<h2>Why</h2><pre>${esc(details)}</pre>` : ''}
${jump ? `<script>document.getElementById('failing-op').scrollIntoView({block:'center',inline:'center'});</script>` : ''}
</body></html>
`;
}

/**
 * The explanation lists its whole partial linearization, 9,000 lines for a stale read at
 * the 9,000th operation: the page keeps its head and tail, the console prints it all.
 */
function capped(lines: string[]): string[] {
  if (lines.length <= MAX_DETAIL_LINES) return lines;
  const head = Math.floor(MAX_DETAIL_LINES / 2);
  const tail = MAX_DETAIL_LINES - head;
  return [...lines.slice(0, head), `  ... ${lines.length - head - tail} lines left out here ('heal lincheck' prints them all) ...`, ...lines.slice(-tail)];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
