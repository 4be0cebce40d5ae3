/** The experiment's table: one row per run, as text (fixed columns) for the terminal and README. */
import type { RecoveryMeasure } from './recovery-run.ts';

const ms = (v: number | null) => (v === null ? '-' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const num = (v: number | null) => (v === null ? '-' : String(Math.round(v)));
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(0)}%`);
const bytes = (v: number | null) => (v === null ? '-' : v >= 1e6 ? `${(v / 1e6).toFixed(1)} MB` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} kB` : `${v} B`);

export const COLUMNS = ['persistency', 'recovery', 'keys', 'down s', 'restart->promo ms', 'restart->reads ms', 'bytes', 'entries', 'ops/s before', 'ops/s down', 'ops/s recovering', 'recovering/before', 'lost', 'other crashes'];

export function tableRows(ms_: readonly RecoveryMeasure[]): string[][] {
  return ms_.map((m) => [
    m.config.persistency,
    m.config.recovery,
    String(m.config.size),
    String(m.config.downtimeS),
    ms(m.restartToPromotionMs),
    ms(m.restartToServingMs),
    bytes(m.bytesTransferred),
    num(m.entriesTransferred),
    num(m.throughputBefore),
    num(m.throughputDown),
    num(m.throughputRecovering),
    pct(m.relativeRecovering),
    m.lostWrites === null ? '-' : String(m.lostWrites),
    // Results written before the field existed have none.
    m.otherCrashes === undefined ? '-' : String(m.otherCrashes),
  ]);
}

export function formatTable(measures: readonly RecoveryMeasure[]): string {
  const rows = [COLUMNS, ...tableRows(measures)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w, i) => (i < 2 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
