/**
 * `heal conform --html OUT`: the run a verdict rests on as a timeline, viewable offline.
 * One lane per node, one row per event (the model's step order, top to bottom), messages
 * as arrows from send to receive, crashes and recoveries marked, steps whose events the
 * log lacked shaded, and the first logged event no run produces at the bottom, in red.
 */
import { initialState, next, type ClusterState } from '../../src/cluster/index.ts';
import { stepEvents, type LogEvent, type LogMsg } from '../../src/cluster/event-log.ts';
import { describeEvent } from './heal-events.ts';
import type { ConformReport, MatchedRun } from './run.ts';

/** Beyond this many steps only the last ones are drawn: the end is where a verdict is decided. */
const MAX_STEPS = 500;
const LANE = 260;
const ROW = 18;
const TOP = 60;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function colour(e: LogEvent): string {
  switch (e.type) {
    case 'crash':
      return '#c0392b';
    case 'restart':
    case 'view':
    case 'recovery':
      return '#1e8449';
    case 'invoke':
    case 'ok':
      return '#1f4e99';
    case 'persist':
    case 'persisted':
      return '#7d6608';
    default:
      return '#333';
  }
}

function msgId(m: LogMsg, from: number, to: number): string {
  return JSON.stringify([m.type, from, to, m.key, m.ts, m.value, m.epoch, m.valid, m.count, m.nodes]);
}

interface Row {
  readonly step: number;
  readonly node: number;
  readonly event: LogEvent;
}

export function renderConformHtml(report: ConformReport, run: MatchedRun): string {
  const { config, path } = run;
  const rows: Row[] = [];
  const filled: { step: number; first: number; last: number; count: number }[] = [];
  const from = Math.max(0, path.length - MAX_STEPS);
  let s: ClusterState = { ...initialState(config), history: null };
  for (let i = 0; i < path.length; i++) {
    const s2 = next(config, s, path[i]!);
    if (i >= from) {
      const events = stepEvents(config, s, path[i]!, s2);
      const first = rows.length;
      for (const e of events) rows.push({ step: i + 1, node: e.node, event: e.event });
      const missing = events.length - (run.matched[i] ?? 0);
      if (missing > 0) filled.push({ step: i + 1, first, last: rows.length - 1, count: missing });
    }
    s = s2;
  }
  const y = (r: number) => TOP + r * ROW;
  const x = (n: number) => 40 + n * LANE;
  const height = y(rows.length) + (report.rejection ? 80 : 20);
  const width = x(config.nodes) + 40;
  const parts: string[] = [];
  for (const f of filled) {
    parts.push(`<rect x="0" y="${y(f.first) - ROW / 2}" width="${width}" height="${(f.last - f.first + 1) * ROW}" fill="#eee"><title>step ${f.step}: ${f.count} event(s) not in the log, filled in by the search</title></rect>`);
  }
  for (let n = 0; n < config.nodes; n++) {
    parts.push(`<line x1="${x(n)}" y1="${TOP - 20}" x2="${x(n)}" y2="${height - 10}" stroke="#bbb"/>`);
    parts.push(`<text x="${x(n)}" y="${TOP - 30}" font-weight="bold" text-anchor="middle">n${n}</text>`);
  }
  const inFlight = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const e = r.event;
    if (e.type === 'send') {
      const id = msgId(e.msg, r.node, e.msg.to!);
      inFlight.set(id, [...(inFlight.get(id) ?? []), i]);
    } else if (e.type === 'recv') {
      const id = msgId(e.msg, e.msg.from!, r.node);
      const queue = inFlight.get(id);
      const at = queue?.shift();
      if (at !== undefined) {
        parts.push(`<line x1="${x(rows[at]!.node)}" y1="${y(at)}" x2="${x(r.node)}" y2="${y(i)}" stroke="#8aa" marker-end="url(#arrow)"/>`);
      }
    }
    const label = describeEvent(r.node, e).replace(/^n\d+ /, '');
    const mark = e.type === 'crash' ? `<text x="${x(r.node)}" y="${y(i) + 5}" text-anchor="middle" fill="#c0392b" font-weight="bold">✕</text>` : `<circle cx="${x(r.node)}" cy="${y(i)}" r="4" fill="${colour(e)}"/>`;
    parts.push(`<g><title>step ${r.step}: ${esc(describeEvent(r.node, e))}</title>${mark}<text x="${x(r.node) + 8}" y="${y(i) + 4}" fill="${colour(e)}">${esc(label)}</text></g>`);
  });
  if (report.rejection) {
    const j = report.rejection;
    const top = y(rows.length);
    parts.push(`<rect x="${x(j.node) - 6}" y="${top - 4}" width="${LANE - 10}" height="40" fill="#fdecea" stroke="#c0392b"/>`);
    parts.push(`<text x="${x(j.node)}" y="${top + 12}" fill="#c0392b" font-weight="bold">line ${j.line}: no run produces</text>`);
    parts.push(`<text x="${x(j.node)}" y="${top + 28}" fill="#c0392b">${esc(j.event.replace(/^n\d+ /, ''))}</text>`);
  }
  const c = report.config;
  const title = `${report.log}: ${report.verdict}`;
  const summary = report.rejection
    ? `first logged event no run produces: line ${report.rejection.line}, ${report.rejection.event} (rules ${report.rejection.rules.join(', ')})`
    : report.violation
      ? `conforms, but ${report.violation.property} fails after step ${report.violation.step}: ${report.violation.message}`
      : `a run of ${report.runSteps} steps produces every logged event; linearizability: ${report.linearizability?.result}`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:13px system-ui,sans-serif;margin:16px}svg{font:11px ui-monospace,monospace}</style></head>
<body>
<h2>${esc(title)}</h2>
<p>heal(${c.persistency}, ${c.recovery}, nodes=${c.nodes}, keys=${c.keys}${c.mutant ? `, mutant=${c.mutant}` : ''}): ${esc(summary)}</p>
<p>One lane per node, one row per event of the model's run${from > 0 ? ` (its last ${MAX_STEPS} steps of ${path.length})` : ''}; shaded steps had events the log lacks, filled in by the search; hover for the step number. Values and keys are the model's.</p>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#8aa"/></marker></defs>
${parts.join('\n')}
</svg></body></html>
`;
}
