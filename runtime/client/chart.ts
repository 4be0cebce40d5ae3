/**
 * The experiment's chart: throughput over time for each run, with the crash, the
 * restart, the promotion and the first read served marked, as one self-contained HTML
 * page of inline SVG (no script, no external file), readable offline.
 */
import type { Marks, RecoveryMeasure } from './recovery-run.ts';
import { runName } from './recovery-run.ts';

const W = 720;
const H = 200;
const PAD = { left: 56, right: 12, top: 24, bottom: 32 };

const MARKS: { key: keyof Marks; label: string; color: string; dash: string }[] = [
  { key: 'crash', label: 'crash', color: '#c62828', dash: '' },
  { key: 'restart', label: 'restart', color: '#ef6c00', dash: '' },
  { key: 'promotion', label: 'promotion', color: '#2e7d32', dash: '' },
  { key: 'serving', label: 'serving reads', color: '#1565c0', dash: '4 3' },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function chartSvg(m: RecoveryMeasure): string {
  // A mark after the load ended (a late restart, a slow promotion) still fits on the axis.
  const seriesEnd = m.series.length === 0 ? 1 : m.series[m.series.length - 1]![0] + (m.series[1]?.[0] ?? 1000);
  const endMs = Math.max(seriesEnd, ...Object.values(m.marks).filter((t): t is number => t !== undefined).map((t) => t * 1.05));
  const maxY = Math.max(1, ...m.series.map(([, y]) => y)) * 1.1;
  const x = (t: number) => PAD.left + (t / endMs) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / maxY) * (H - PAD.top - PAD.bottom);
  const points = m.series.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(runName(m.config))}">`);
  parts.push(`<text x="${PAD.left}" y="16" font-size="13" font-family="sans-serif">${esc(runName(m.config))}: acknowledged ops/s per ${m.series.length > 1 ? m.series[1]![0] : 0} ms</text>`);
  parts.push(`<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#444"/>`);
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#444"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 1.1) * (i / 4);
    parts.push(`<text x="${PAD.left - 4}" y="${y(v) + 4}" font-size="10" text-anchor="end" font-family="sans-serif">${v.toFixed(0)}</text>`);
  }
  const stepS = Math.max(1, Math.ceil(endMs / 1000 / 10));
  for (let s = 0; s * 1000 <= endMs; s += stepS) {
    parts.push(`<text x="${x(s * 1000)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle" font-family="sans-serif">${s} s</text>`);
  }
  parts.push(`<polyline fill="none" stroke="#333" stroke-width="1.5" points="${points}"/>`);
  MARKS.forEach((mk, i) => {
    const t = m.marks[mk.key];
    if (t === undefined) return;
    parts.push(`<line x1="${x(t)}" y1="${PAD.top}" x2="${x(t)}" y2="${H - PAD.bottom}" stroke="${mk.color}" stroke-width="1.5"${mk.dash ? ` stroke-dasharray="${mk.dash}"` : ''}><title>${mk.label} at ${(t / 1000).toFixed(3)} s</title></line>`);
    parts.push(`<text x="${x(t) + 3}" y="${PAD.top + 10 + 11 * i}" font-size="10" fill="${mk.color}" font-family="sans-serif">${mk.label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function chartHtml(title: string, measures: readonly RecoveryMeasure[], table: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<style>body{font-family:sans-serif;margin:1.5em}pre{font-size:12px}figure{margin:1em 0}</style>',
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    `<pre>${esc(table)}</pre>`,
    ...measures.map((m) => `<figure>${chartSvg(m)}${m.notes.length ? `<figcaption>${m.notes.map(esc).join('; ')}</figcaption>` : ''}</figure>`),
    '</body></html>',
    '',
  ].join('\n');
}
