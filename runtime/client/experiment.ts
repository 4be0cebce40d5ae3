/**
 * `heal experiment recovery`: every combination of persistency x recovery x store size x
 * downtime, one run each (runtime/client/recovery-run.ts), then the table (text and
 * JSON) and the chart. Each run's history is kept and judged; the judge is passed in
 * (the CLI gives it heal lincheck's engine) so this file needs no checker.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toEdn } from './history.ts';
import type { Launcher } from './launch.ts';
import { recoveryRun, runDir, runName, type RecoveryConfig, type RecoveryMeasure, type RecoveryRunOptions } from './recovery-run.ts';
import { formatTable } from './recovery-table.ts';
import { chartHtml } from './chart.ts';

export type Verdict = 'linearizable' | 'not linearizable' | 'unknown';

export interface ExperimentOptions extends Omit<RecoveryRunOptions, 'dir' | 'launcher' | 'onProgress'> {
  readonly launcher: Launcher;
  readonly out: string;
  readonly persistency: readonly string[];
  readonly recovery: readonly string[];
  readonly sizes: readonly number[];
  readonly downtimesS: readonly number[];
  readonly judge?: (ednText: string, name: string) => Verdict;
  /** Where files are written: temp name then rename (the CLI's writeAtomic). */
  readonly write: (path: string, content: string) => void;
  readonly log?: (line: string) => void;
  readonly onProgress?: (line: string) => void;
}

export interface ExperimentRow extends RecoveryMeasure {
  readonly verdict: Verdict | null;
}

export function configs(o: Pick<ExperimentOptions, 'persistency' | 'recovery' | 'sizes' | 'downtimesS'>): RecoveryConfig[] {
  const out: RecoveryConfig[] = [];
  for (const persistency of o.persistency) for (const size of o.sizes) for (const downtimeS of o.downtimesS) for (const recovery of o.recovery) out.push({ persistency, recovery, size, downtimeS });
  return out;
}

/** `interrupted`: o.signal stopped it; `rows` are the runs finished before (the one under way is dropped). */
export async function runExperiment(o: ExperimentOptions): Promise<{ rows: ExperimentRow[]; table: string; interrupted: boolean }> {
  mkdirSync(o.out, { recursive: true });
  const rows: ExperimentRow[] = [];
  const all = configs(o);
  let interrupted = false;
  for (const [i, config] of all.entries()) {
    if (o.signal?.aborted) {
      interrupted = true;
      break;
    }
    const dir = runDir(o.out, config);
    o.log?.(`run ${i + 1}/${all.length}: ${runName(config)}`);
    const done = await recoveryRun(config, { ...o, dir: join(dir, 'cluster'), onProgress: o.onProgress });
    if (done === null) {
      interrupted = true;
      break;
    }
    const { measure, run } = done;
    const edn = toEdn(run.history.events);
    o.write(join(dir, 'history.edn'), edn);
    const verdict = o.judge ? o.judge(edn, join(dir, 'history.edn')) : null;
    rows.push({ ...measure, verdict });
    o.log?.(
      `  restart->promotion ${measure.restartToPromotionMs ?? '-'} ms, restart->reads ${measure.restartToServingMs?.toFixed(0) ?? '-'} ms, lost writes ${measure.lostWrites ?? '-'}, ${verdict ?? 'not judged'}`,
    );
    // Written after every run: an interrupted experiment keeps what it measured.
    writeResults(o, rows);
  }
  return { rows, table: formatTable(rows), interrupted };
}

function writeResults(o: ExperimentOptions, rows: ExperimentRow[]): void {
  const table = formatTable(rows);
  o.write(join(o.out, 'results.json'), `${JSON.stringify({ version: 1, options: { nodes: o.nodes, clients: o.clients, rate: o.rate ?? null, durationS: o.durationS, killAtS: o.killAtS, workload: o.workload, seed: o.seed, valueBytes: o.valueBytes, leaseMs: o.leaseMs ?? null }, runs: rows }, null, 1)}\n`);
  o.write(join(o.out, 'results.md'), `${table}\n`);
  o.write(join(o.out, 'chart.html'), chartHtml('HEAL recovery experiment', rows, table));
}
