/**
 * `heal bench`: per configuration, distinct states per second with 1 and 2 workers,
 * bytes per stored state and peak resident memory. Each run is a fresh child process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { benchConfigs, type BenchConfig } from '../bench/configs.ts';
import { DEFAULT_JAR, findTlc, runTlc, type TlcLocation, type TlcMeasured } from '../bench/tlc.ts';
import type { ExploreResult } from '../../checker/explore/types.ts';
import { projectFile } from '../../checker/locate.ts';
import { InputError } from '../errors.ts';
import { boolFlag, flagOptions, parseRaw, stringFlag } from '../flags.ts';

const HELP = `usage: heal bench [--quick] [--only TEXT] [--workers 1,2] [--no-tlc] [--json]

  --quick          only the small configuration (a few seconds)
  --only TEXT      only the configurations whose label contains TEXT (e.g. 'hermes-tla n=3 v=2')
  --workers LIST   worker counts to measure (default 1,2)
  --no-tlc         do not run TLC beside the Hermes port
  --json           print one JSON object instead of the tables

Measures breadth-first exploration: distinct states/s, bytes per stored state (visited
set + parent index), peak RSS, and CPU seconds of the whole run (all threads, startup
included). Wall-clock timings are noisy when other processes share the cores.

For each Hermes configuration, TLC runs right after the port on the same constants and
worker count (the .cfg in bench/tla/) when java, tla2tools.jar and the spec are there:
the jar named by HEAL_TLA2TOOLS, else ${DEFAULT_JAR} relative to the repository.`;

const BIN = fileURLToPath(projectFile('bin/heal.mjs'));
const ROOT = fileURLToPath(projectFile(''));

interface Row {
  readonly config: string;
  readonly command: string;
  readonly workers: number;
  readonly result: Measured;
}

/** processSeconds: wall time of the whole child process, start-up included, as for TLC. */
type Measured = Omit<ExploreResult, 'counterexample'> & { readonly cpuSeconds: number; readonly processSeconds: number };

interface TlcRow {
  readonly config: string;
  readonly command: string;
  readonly workers: number;
  readonly port: Measured;
  readonly tlc: TlcMeasured;
}

function runOne(config: BenchConfig, workers: number): Promise<Measured> {
  const payload = JSON.stringify({ ref: config.ref, workers, symmetry: config.symmetry });
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [BIN, 'bench', '--measure-once', payload], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench run for ${config.label} with ${workers} worker(s) exited with ${code}`));
      try {
        const measured = JSON.parse(out.trim().split('\n').pop() ?? '') as Omit<Measured, 'processSeconds'>;
        resolve({ ...measured, processSeconds: (performance.now() - start) / 1000 });
      } catch {
        reject(new Error(`bench run for ${config.label}: unreadable output: ${out.slice(0, 200)}`));
      }
    });
  });
}

function render(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

const count = (n: number) => n.toLocaleString('en-US');
const mb = (n: number) => (Number.isNaN(n) ? 'n/a' : String(n));

function table(rows: readonly Row[]): string {
  const head = ['configuration', 'workers', 'result', 'distinct', 'generated', 'depth', 'seconds', 'CPU s', 'distinct/s', 'bytes/state', 'peak RSS MB'];
  return render(
    head,
    rows.map((r) => [
      r.config,
      String(r.workers),
      r.result.result,
      count(r.result.distinctStates),
      count(r.result.generatedStates),
      String(r.result.maxDepth),
      r.result.seconds.toFixed(2),
      r.result.cpuSeconds.toFixed(2),
      count(Math.round(r.result.statesPerSecond)),
      r.result.bytesPerState.toFixed(1),
      String(r.result.peakMemoryMB),
    ]),
  );
}

/**
 * Port and TLC on the same constants and workers. "search s" is the search alone (the
 * port's explore(); TLC from "Computing initial states..." to its counts), "process s" the
 * whole process, start-up included; depth in TLC's terms (states, so steps + 1). The
 * ratios are how many times longer TLC took than the port at that worker count.
 */
function tlcTable(rows: readonly TlcRow[]): string {
  const head = ['configuration', 'workers', 'tool', 'result', 'distinct', 'generated', 'TLC depth', 'search s', 'process s', 'CPU s', 'peak RSS MB', 'bytes/state', 'TLC/port search', 'TLC/port process', 'TLC/port CPU'];
  const ratio = (a: number, b: number) => (Number.isNaN(a) ? 'n/a' : `${(a / b).toFixed(1)}x`);
  const body: string[][] = [];
  for (const r of rows) {
    const same = r.port.distinctStates === r.tlc.distinct && r.port.generatedStates === r.tlc.generated && r.port.maxDepth + 1 === r.tlc.depth;
    body.push([r.config, String(r.workers), 'port', r.port.result, count(r.port.distinctStates), count(r.port.generatedStates), String(r.port.maxDepth + 1),
      r.port.seconds.toFixed(2), r.port.processSeconds.toFixed(2), r.port.cpuSeconds.toFixed(2), String(r.port.peakMemoryMB), r.port.bytesPerState.toFixed(1),
      ratio(r.tlc.searchSeconds, r.port.seconds), ratio(r.tlc.seconds, r.port.processSeconds), ratio(r.tlc.cpuSeconds, r.port.cpuSeconds)]);
    body.push([same ? '' : '  (counts differ!)', String(r.workers), 'TLC', r.tlc.result, count(r.tlc.distinct), count(r.tlc.generated), String(r.tlc.depth),
      Number.isNaN(r.tlc.searchSeconds) ? 'n/a' : r.tlc.searchSeconds.toFixed(2), r.tlc.seconds.toFixed(2), r.tlc.cpuSeconds.toFixed(2), mb(r.tlc.peakMemoryMB), '-', '', '', '']);
  }
  return render(head, body);
}

export async function run(argv: string[]): Promise<number> {
  const raw = parseRaw(argv, flagOptions(['only', 'workers', 'measure-once'], ['quick', 'no-tlc']), false, 'bench');
  if (boolFlag(raw, 'help')) {
    console.log(HELP);
    return 0;
  }
  const once = stringFlag(raw, 'measure-once');
  if (once !== undefined) {
    await (await import('../bench/measure-once.ts')).measureOnce(once);
    return 0;
  }
  const workersText = stringFlag(raw, 'workers') ?? '1,2';
  const parsed = z.array(z.coerce.number().int().min(1).max(64)).min(1).safeParse(workersText.split(','));
  if (!parsed.success || workersText.split(',').some((w) => !/^\d+$/.test(w))) {
    throw new InputError(`--workers: expected a comma-separated list of integers from 1 to 64, got '${workersText}'`);
  }
  const json = boolFlag(raw, 'json');
  const only = stringFlag(raw, 'only');
  const configs = benchConfigs(boolFlag(raw, 'quick')).filter((c) => only === undefined || c.label.includes(only));
  if (configs.length === 0) {
    throw new InputError(`--only: no configuration's label contains '${only}' (labels: ${benchConfigs(false).map((c) => c.label).join('; ')})`);
  }
  const tlc: TlcLocation = boolFlag(raw, 'no-tlc')
    ? { available: false, reason: 'not run (--no-tlc)' }
    : configs.some((c) => c.tlcConfig !== undefined)
      ? findTlc(ROOT)
      : { available: false, reason: 'no Hermes configuration measured' };
  const say = (text: string) => {
    if (!json) process.stderr.write(`${text}\n`);
  };
  say(tlc.available ? `TLC: ${tlc.jar} on ${tlc.version}` : `TLC is not available: ${tlc.reason}; measuring the port alone`);
  const rows: Row[] = [];
  const tlcRows: TlcRow[] = [];
  for (const config of configs) {
    for (const workers of parsed.data) {
      say(`running ${config.command} --workers ${workers} ...`);
      const result = await runOne(config, workers);
      rows.push({ config: config.label, command: `${config.command} --workers ${workers}`, workers, result });
      if (tlc.available && config.tlcConfig !== undefined) {
        // Right after the port, so both see the same load on a shared machine.
        const cfg = join(ROOT, config.tlcConfig);
        say(`running TLC -workers ${workers} -config ${config.tlcConfig} ${tlc.spec} ...`);
        const measured = await runTlc(tlc, tlc.spec, cfg, workers);
        tlcRows.push({ config: config.label, command: `${config.command} --workers ${workers}`, workers, port: result, tlc: measured });
      }
    }
  }
  if (json) {
    console.log(JSON.stringify({ runs: rows, tlc: tlc.available ? { available: true, java: tlc.version, jar: tlc.jar, runs: tlcRows } : { available: false, reason: tlc.reason } }));
    return 0;
  }
  console.log(table(rows));
  console.log('\ncommands:');
  for (const r of rows) console.log(`  ${r.command}`);
  console.log('');
  if (!tlc.available) {
    console.log(`TLC side by side: not available (${tlc.reason}).`);
    console.log(`Set HEAL_TLA2TOOLS to a tla2tools.jar, with java on PATH or JAVA_HOME, to measure TLC beside the Hermes port.`);
    return 0;
  }
  console.log(`Side by side with TLC (${tlcRows[0]?.tlc.version ?? 'TLC'} on ${tlc.version}; java -XX:+UseParallelGC -Xmx8g -cp ${tlc.jar} tlc2.TLC -workers W -config bench/tla/Hermes_N<n>V<v>.cfg ${tlc.spec}):`);
  console.log(tlcTable(tlcRows));
  return 0;
}
