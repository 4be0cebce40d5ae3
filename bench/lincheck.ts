/**
 * Linearizability checker benchmark (of the bundled code, bench/bundled.ts) on Porcupine's test data: per-history
 * milliseconds for checking alone (parsing reported apart), the etcd set total and
 * each kv file, each the median of 5 runs after a warm-up pass over all files and one
 * more run of that file, and beside each the
 * time of Porcupine's harness on the same file in the same run (bench/porcupine.ts;
 * left out, and said so, when `go` or the harness is missing). Wall time is the
 * figure to compare; process CPU time is printed beside it because on a shared
 * machine other processes inflate wall time (CPU time includes GC threads).
 *
 * Then `--workers` on many-key histories (bench/lincheck-workers.ts) and the growth
 * table on generated histories beside Porcupine (bench/lincheck-scale.ts), unless
 * --no-workers / --no-scale.
 *
 *   npm run bench:lincheck [-- --runs N] [-- --only etcd_002] [-- --no-workers] [-- --no-scale] [-- --budget SEC]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHistory } from '../checker/history/index.ts';
import { buildOperations } from '../checker/lincheck/operation.ts';
import { checkOperations } from '../checker/lincheck/check.ts';
import { SEQ_MODELS } from '../spec/models/registry.ts';
import { casRegisterModel } from '../spec/models/cas-register.ts';
import type { HistoryEvent } from '../spec/history.ts';
import { spawnSync } from 'node:child_process';
import { runScale } from './lincheck-scale.ts';
import { runWorkers } from './lincheck-workers.ts';
import { porcupineEnv, porcupineHarness } from './porcupine.ts';
import { rerunBundled, root } from './bundled.ts';

const bundledExit = await rerunBundled(import.meta.url);
if (bundledExit !== undefined) process.exit(bundledExit);

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const runs = Number(flag('--runs') ?? 5);
const only = flag('--only');
const dataDir = process.env.PORCUPINE_DATA ?? join(root, '../shared/data/porcupine');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  file: string;
  parseMs: number;
  checkMs: number;
  cpuMs: number;
  verdict: string;
  expected: string;
}

const rows = readFileSync(join(dataDir, 'expected.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
  .filter(([file]) => only === undefined || file.includes(only));

// Porcupine on the same files, in the same run: before and after ours, the mean of the two medians.
const harness = porcupineHarness(root);
const porcupineMs = new Map<string, number>();
const porcupineRun = (): void => {
  if (!('bin' in harness)) return;
  const r = spawnSync(harness.bin, ['bench', '-data', dataDir, '-runs', String(runs), ...(only ? ['-only', only] : [])], { encoding: 'utf8', env: porcupineEnv });
  for (const line of r.stdout.split('\n')) {
    const [file, , checkMs] = line.trim().split(/\s+/);
    if (file === undefined || file.startsWith('#') || file === 'file' || checkMs === undefined) continue;
    const ms = Number(checkMs);
    porcupineMs.set(file, porcupineMs.has(file) ? (porcupineMs.get(file)! + ms) / 2 : ms);
  }
};
porcupineRun();

const modelFor = (column: string) => (column === 'kv' ? SEQ_MODELS.kv.create(undefined) : SEQ_MODELS['cas-register'].create(undefined));
// One pass over every file first: the first files timed would otherwise carry the JIT's
// warm-up (Porcupine, compiled ahead of time, has none), up to 16x on etcd_001.
for (const [file, , modelColumn] of rows) {
  const model = modelFor(modelColumn);
  const history = parseHistory(readFileSync(join(dataDir, file), 'utf8'), 'auto', file);
  checkOperations(buildOperations(history.events, model, { source: history.source }), model, { explain: false });
}

const results: Row[] = [];
for (const [file, expected, modelColumn] of rows) {
  const text = readFileSync(join(dataDir, file), 'utf8');
  const model = modelFor(modelColumn);
  const parseTimes: number[] = [];
  const checkTimes: number[] = [];
  const cpuTimes: number[] = [];
  let verdict = '';
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const history = parseHistory(text, 'auto', file);
    const ops = buildOperations(history.events, model, { source: history.source });
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    // Verdict only, as Porcupine's CheckEvents: explanations are a separate, later cost.
    verdict = checkOperations(ops, model, { explain: false }).result;
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    if (i > 0) {
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      parseTimes.push(t1 - t0);
      checkTimes.push(t2 - t1);
    }
  }
  results.push({ file, parseMs: median(parseTimes), checkMs: median(checkTimes), cpuMs: median(cpuTimes), verdict, expected });
}

porcupineRun();

// The per-call overhead the model checker pays: many tiny histories.
const tiny = (() => {
  const model = casRegisterModel(0);
  const events: HistoryEvent[] = [
    { process: 0, type: 'invoke', f: 'write', value: 1 },
    { process: 1, type: 'invoke', f: 'read', value: null },
    { process: 0, type: 'ok', f: 'write', value: 1 },
    { process: 2, type: 'invoke', f: 'cas', value: [1, 2] },
    { process: 1, type: 'ok', f: 'read', value: 0 },
    { process: 2, type: 'ok', f: 'cas', value: [1, 2] },
    { process: 0, type: 'invoke', f: 'read', value: null },
    { process: 0, type: 'ok', f: 'read', value: 2 },
  ];
  const ops = buildOperations(events, model);
  const n = 100_000;
  const samples: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) checkOperations(ops, model, { explain: false });
    if (r > 0) samples.push(((performance.now() - t0) * 1000) / n);
  }
  return median(samples);
})();


const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`${pad('history', 24)} ${'parse ms'.padStart(9)} ${'check ms'.padStart(9)} ${'cpu ms'.padStart(9)} ${'Porcupine'.padStart(9)} ${'ratio'.padStart(6)}  verdict`);
const ratios: number[] = [];
for (const r of results) {
  const agree = (r.verdict === 'ok') === (r.expected === 'linearizable') ? '' : `  MISMATCH (expected ${r.expected})`;
  const p = porcupineMs.get(r.file);
  if (p !== undefined && p > 0) ratios.push(r.checkMs / p);
  const ratio = p === undefined ? '' : (r.checkMs / p).toFixed(2) + 'x';
  console.log(`${pad(r.file, 24)} ${r.parseMs.toFixed(2).padStart(9)} ${r.checkMs.toFixed(2).padStart(9)} ${r.cpuMs.toFixed(2).padStart(9)} ${(p === undefined ? '' : p.toFixed(2)).padStart(9)} ${ratio.padStart(6)}  ${r.verdict}${agree}`);
}
const etcd = results.filter((r) => r.file.startsWith('jepsen/'));
console.log('');
const sum = (xs: number[]): number => xs.reduce((a, x) => a + x, 0);
const vs = (files: Row[], ms: number): string => {
  if (!('bin' in harness)) return '';
  const p = sum(files.map((r) => porcupineMs.get(r.file) ?? NaN));
  return `; Porcupine ${p.toFixed(1)} ms, ratio ${(ms / p).toFixed(2)}x`;
};
const etcdMs = sum(etcd.map((r) => r.checkMs));
console.log(`etcd set (${etcd.length} histories): check ${etcdMs.toFixed(1)} ms (cpu ${sum(etcd.map((r) => r.cpuMs)).toFixed(1)} ms), parse ${sum(etcd.map((r) => r.parseMs)).toFixed(1)} ms${vs(etcd, etcdMs)}`);
for (const r of results.filter((r) => r.file.startsWith('kv/'))) {
  console.log(`${r.file}: check ${r.checkMs.toFixed(1)} ms (cpu ${r.cpuMs.toFixed(1)} ms), parse ${r.parseMs.toFixed(1)} ms${vs([r], r.checkMs)}`);
}
if (ratios.length > 0) {
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`per-file ratio to Porcupine: median ${median(ratios).toFixed(2)}x, best ${sorted[0].toFixed(2)}x, worst ${sorted[sorted.length - 1].toFixed(2)}x over ${ratios.length} files`);
} else {
  console.log(`Porcupine: not measured: ${(harness as { missing: string }).missing}`);
}
console.log(`tiny 8-operation history (model checker hot path): ${tiny.toFixed(2)} µs per check`);
console.log(`(medians of ${runs} runs after a warm-up; Node ${process.version}, single thread; Porcupine: GOMAXPROCS=1, run before and after ours)`);
if (results.some((r) => (r.verdict === 'ok') !== (r.expected === 'linearizable'))) process.exitCode = 1;
if (!argv.includes('--no-workers')) await runWorkers({ dataDir });
if (!argv.includes('--no-scale')) await runScale({ budgetSeconds: Number(flag('--budget') ?? 60) });
