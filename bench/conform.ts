/**
 * heal conform benchmark. Logs are long seeded random runs of the cluster model, exported
 * (cli/conform/random-run.ts, cli/conform/export.ts), so their verdict is known: conforms.
 *
 *   1. a complete log of --events events (default 100,000): parse, search, every
 *      property at every step, linearizability, total;
 *   2. the same log with 10% of its events removed (3 nodes);
 *   3. how the search grows with the share of missing events, on a log of --growth-events
 *      events (default 5,000), each run bounded by 120 s ('unknown' past it).
 *
 * Each figure is the median of --runs runs (default 3). Wall time; the machine is shared.
 *
 *   npm run bench:conform [-- --events N] [-- --growth-events N] [-- --runs N] [-- --persistency P] [-- --only long|growth]
 */
import { exportRun } from '../cli/conform/export.ts';
import { parseLog } from '../cli/conform/log-format.ts';
import { randomRun, rng } from '../cli/conform/random-run.ts';
import { runConformance, type ConformReport } from '../cli/conform/run.ts';
import type { ClusterConfig } from '../src/cluster/index.ts';
import { hasScopeEnds } from '../src/protocol/persistency/index.ts';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const events = Number(flag('--events') ?? 100_000);
const growthEvents = Number(flag('--growth-events') ?? 5_000);
const only = flag('--only');
const runs = Number(flag('--runs') ?? 3);
const persistency = (flag('--persistency') ?? 'synch') as ClusterConfig['persistency'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const config: ClusterConfig = {
  nodes: 3, keys: 2, persistency, recovery: 'heal', writes: 1_000_000, reads: 1_000_000,
  scopes: hasScopeEnds(persistency) ? 1_000_000 : 0, crashes: 2, duplicates: false, mutant: null,
};

/** A seeded run long enough for `target` events (about two events per step), exported. */
function logOf(target: number, seed: number): string[] {
  let steps = Math.ceil(target / 2);
  for (;;) {
    const lines = exportRun(config, randomRun(config, { seed, maxSteps: steps, crashChance: 0.002 }));
    if (lines.length - 1 >= target) return lines.slice(0, target + 1);
    steps = Math.ceil(steps * 1.2);
  }
}

function drop(lines: readonly string[], share: number, seed: number): string[] {
  const r = rng(seed);
  return [lines[0]!, ...lines.slice(1).filter(() => r() >= share)];
}

interface Timing {
  parse: number;
  report: ConformReport;
}

function measure(lines: readonly string[], maxStates = 5_000_000, timeLimitSeconds = 300): Timing {
  const text = lines.join('\n');
  const t0 = performance.now();
  const log = parseLog(text, 'bench.jsonl');
  const parse = (performance.now() - t0) / 1000;
  const report = runConformance(log, { maxStates, timeLimitSeconds, out: null });
  return { parse, report };
}

function row(label: string, lines: readonly string[], times: Timing[]): string {
  const r = times[0]!.report;
  const m = (f: (t: Timing) => number) => median(times.map(f)).toFixed(2);
  const total = m((t) => t.parse + t.report.searchSeconds + t.report.propertySeconds + t.report.lincheckSeconds);
  return `| ${label} | ${(lines.length - 1).toLocaleString('en-US')} | ${r.missing.toLocaleString('en-US')} | ${r.verdict} | ${r.statesExplored.toLocaleString('en-US')} | ${m((t) => t.parse)} | ${m((t) => t.report.searchSeconds)} | ${m((t) => t.report.propertySeconds)} | ${m((t) => t.report.lincheckSeconds)} | ${total} |`;
}

const header = [
  '| log | events | missing | verdict | search states | parse s | search s | properties s | lincheck s | total s |',
  '|---|---|---|---|---|---|---|---|---|---|',
];

console.log(`heal conform benchmark: ${persistency}/heal, 3 nodes, 2 keys, seeded random runs; median of ${runs}`);
console.log('');
if (only !== 'growth') {
  console.log(header.join('\n'));
  const full = logOf(events, 1);
  measure(full.slice(0, 2001)); // warm-up
  console.log(row('complete', full, Array.from({ length: runs }, () => measure(full))));
  const partial = drop(full, 0.1, 2);
  console.log(row('10% of events removed', partial, Array.from({ length: runs }, () => measure(partial))));
}
if (only === 'long') process.exit(0);

console.log('');
console.log(`growth with the share of missing events (a log of ${growthEvents.toLocaleString('en-US')} events; each run bounded by 120 s):`);
console.log('');
console.log(header.join('\n'));
const base = logOf(growthEvents, 3);
for (const share of [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4]) {
  const lines = drop(base, share, 4);
  // A run near the bound is not repeated: its figure is the bound anyway.
  const first = measure(lines, 5_000_000, 120);
  const more = first.report.verdict === 'unknown' ? [] : Array.from({ length: runs - 1 }, () => measure(lines, 5_000_000, 120));
  console.log(row(`${Math.round(share * 100)}% removed`, lines, [first, ...more]));
}
