/**
 * Merges the results.json of several `heal experiment recovery` runs (repeats with other
 * seeds) into one table: per configuration the median of each figure, and how many runs
 * it is the median of. The machine is shared, so one run per cell is noise; the README's
 * table comes from this.
 *
 *   npx tsx bench/recovery-medians.ts [--chart OUT.html] OUT1/results.json OUT2/results.json ...
 *
 * --chart writes the experiment's chart (runtime/client/chart.ts) of one run per
 * configuration: the run whose restart -> promotion is the median (a series has no median).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { chartHtml } from '../runtime/client/chart.ts';
import { runName, type RecoveryMeasure } from '../runtime/client/recovery-run.ts';
import { COLUMNS, tableRows } from '../runtime/client/recovery-table.ts';

interface Row extends RecoveryMeasure {
  readonly verdict: string | null;
}

const FIGURES = [
  'restartToPromotionMs', 'restartToServingMs', 'bytesTransferred', 'entriesTransferred',
  'throughputBefore', 'throughputDown', 'throughputRecovering', 'relativeRecovering', 'lostWrites',
] as const;

/** Median of the known values; null when none is known (a run that did not measure it). */
export function median(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** The run of `rows` whose restart -> promotion is the median (the lower of the middle two). */
function representative(rows: readonly Row[]): Row {
  const known = rows.filter((r) => r.restartToPromotionMs !== null).sort((a, b) => a.restartToPromotionMs! - b.restartToPromotionMs!);
  return known.length === 0 ? rows[0]! : known[(known.length - 1) >> 1]!;
}

function main(args: string[]): number {
  const chartAt = args.indexOf('--chart');
  const chart = chartAt >= 0 ? args[chartAt + 1] : undefined;
  const files = chartAt >= 0 ? args.filter((_, i) => i !== chartAt && i !== chartAt + 1) : args;
  if (files.length === 0 || (chartAt >= 0 && chart === undefined)) {
    console.error('usage: npx tsx bench/recovery-medians.ts [--chart OUT.html] RESULTS.json...');
    return 2;
  }
  const groups = new Map<string, Row[]>();
  for (const f of files) {
    const runs = (JSON.parse(readFileSync(f, 'utf8')) as { runs: Row[] }).runs;
    for (const r of runs) {
      const k = runName(r.config);
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
  }
  const merged: RecoveryMeasure[] = [];
  const counts: string[] = [];
  const verdicts: string[] = [];
  for (const rows of groups.values()) {
    const m: Record<string, unknown> = { ...rows[0]! };
    for (const f of FIGURES) m[f] = median(rows.map((r) => r[f]));
    // Lost writes are not a figure to smooth: any run that lost one shows.
    m.lostWrites = rows.some((r) => r.lostWrites === null) ? null : Math.max(...rows.map((r) => r.lostWrites!));
    // Results from before the field existed have none: shown as '-', not as 0.
    m.otherCrashes = rows.some((r) => r.otherCrashes === undefined) ? undefined : Math.max(...rows.map((r) => r.otherCrashes));
    merged.push(m as unknown as RecoveryMeasure);
    counts.push(String(rows.length));
    verdicts.push(rows.every((r) => r.verdict === 'linearizable') ? 'all linearizable' : rows.map((r) => r.verdict ?? 'not judged').join(','));
  }
  const all = [[...COLUMNS, 'runs', 'lincheck'], ...tableRows(merged).map((r, i) => [...r, counts[i]!, verdicts[i]!])];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i < 2 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(all[0]!));
  console.log(`|${widths.map((w, i) => (i < 2 || i === widths.length - 1 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`);
  for (const r of all.slice(1)) console.log(line(r));
  if (chart !== undefined) {
    const table = [line(all[0]!), ...all.slice(1).map(line)].join('\n');
    writeFileSync(`${chart}.tmp`, chartHtml('HEAL recovery experiment (medians; one run per configuration charted)', [...groups.values()].map(representative), table));
    renameSync(`${chart}.tmp`, chart);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
