/**
 * `heal bench`: per configuration, distinct states per second with 1 and 2 workers,
 * bytes per stored state and peak resident memory. Each run is a fresh child process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { benchConfigs, type BenchConfig } from '../../bench/explore-configs.ts';
import type { ExploreResult } from '../../checker/explore/types.ts';
import { projectFile } from '../../checker/locate.ts';
import { InputError } from '../errors.ts';
import { boolFlag, parseRaw, stringFlag } from '../flags.ts';

const HELP = `usage: heal bench [--quick] [--workers 1,2] [--json]

  --quick          only the small configuration (a few seconds)
  --workers LIST   worker counts to measure (default 1,2)
  --json           print one JSON array instead of the table

Measures breadth-first exploration: distinct states/s, bytes per stored state (visited
set + parent index), peak RSS, and CPU seconds of the whole run (all threads, startup
included). Wall-clock timings are noisy when other processes share the cores.`;

const BIN = fileURLToPath(projectFile('bin/heal.mjs'));

interface Row {
  readonly config: string;
  readonly command: string;
  readonly workers: number;
  readonly result: Measured;
}

type Measured = Omit<ExploreResult, 'counterexample'> & { readonly cpuSeconds: number };

function runOne(config: BenchConfig, workers: number): Promise<Measured> {
  const payload = JSON.stringify({ ref: config.ref, workers, symmetry: config.symmetry });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'bench', '--measure-once', payload], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench run for ${config.label} with ${workers} worker(s) exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Measured);
      } catch {
        reject(new Error(`bench run for ${config.label}: unreadable output: ${out.slice(0, 200)}`));
      }
    });
  });
}

function table(rows: readonly Row[]): string {
  const head = ['configuration', 'workers', 'result', 'distinct', 'generated', 'depth', 'seconds', 'CPU s', 'distinct/s', 'bytes/state', 'peak RSS MB'];
  const body = rows.map((r) => [
    r.config,
    String(r.workers),
    r.result.result,
    r.result.distinctStates.toLocaleString('en-US'),
    r.result.generatedStates.toLocaleString('en-US'),
    String(r.result.maxDepth),
    r.result.seconds.toFixed(2),
    r.result.cpuSeconds.toFixed(2),
    Math.round(r.result.statesPerSecond).toLocaleString('en-US'),
    r.result.bytesPerState.toFixed(1),
    String(r.result.peakMemoryMB),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const raw = parseRaw(
    argv,
    { quick: { type: 'boolean' }, workers: { type: 'string' }, json: { type: 'boolean' }, 'measure-once': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    false,
    'bench',
  );
  if (boolFlag(raw, 'help')) {
    console.log(HELP);
    return 0;
  }
  const once = stringFlag(raw, 'measure-once');
  if (once !== undefined) {
    await (await import('../../bench/explore-one.ts')).measureOnce(once);
    return 0;
  }
  const workersText = stringFlag(raw, 'workers') ?? '1,2';
  const parsed = z.array(z.coerce.number().int().min(1).max(64)).min(1).safeParse(workersText.split(','));
  if (!parsed.success || workersText.split(',').some((w) => !/^\d+$/.test(w))) {
    throw new InputError(`--workers: expected a comma-separated list of integers from 1 to 64, got '${workersText}'`);
  }
  const json = boolFlag(raw, 'json');
  const rows: Row[] = [];
  for (const config of benchConfigs(boolFlag(raw, 'quick'))) {
    for (const workers of parsed.data) {
      if (!json) process.stderr.write(`running ${config.command} --workers ${workers} ...\n`);
      rows.push({ config: config.label, command: `${config.command} --workers ${workers}`, workers, result: await runOne(config, workers) });
    }
  }
  if (json) {
    console.log(JSON.stringify(rows));
  } else {
    console.log(table(rows));
    console.log('\ncommands:');
    for (const r of rows) console.log(`  ${r.command}`);
  }
  return 0;
}
