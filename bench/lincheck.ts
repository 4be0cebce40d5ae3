/**
 * Linearizability checker benchmark on Porcupine's test data: per-history
 * milliseconds for checking alone (parsing reported apart), the etcd set total and
 * each kv file. Each figure is the median of 5 runs after one warm-up run. Wall
 * time is the figure to compare; process CPU time is printed beside it because on
 * a shared machine other processes inflate wall time (CPU time includes GC threads).
 *
 * Then the growth table on generated histories (bench/lincheck-scale.ts), unless
 * --no-scale.
 *
 *   npm run bench:lincheck [-- --runs N] [-- --only etcd_002] [-- --no-scale] [-- --budget SEC]
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHistory } from '../checker/history/index.ts';
import { buildOperations } from '../checker/lincheck/operation.ts';
import { checkOperations } from '../checker/lincheck/check.ts';
import { SEQ_MODELS } from '../spec/models/registry.ts';
import { casRegisterModel } from '../spec/models/cas-register.ts';
import type { HistoryEvent } from '../spec/history.ts';
import { runScale } from './lincheck-scale.ts';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const runs = Number(flag('--runs') ?? 5);
const only = flag('--only');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
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

const results: Row[] = [];
for (const [file, expected, modelColumn] of rows) {
  const text = readFileSync(join(dataDir, file), 'utf8');
  const model = modelColumn === 'kv' ? SEQ_MODELS.kv.create(undefined) : SEQ_MODELS['cas-register'].create(undefined);
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
console.log(`${pad('history', 24)} ${'parse ms'.padStart(9)} ${'check ms'.padStart(9)} ${'cpu ms'.padStart(9)}  verdict`);
for (const r of results) {
  const agree = (r.verdict === 'ok') === (r.expected === 'linearizable') ? '' : `  MISMATCH (expected ${r.expected})`;
  console.log(`${pad(r.file, 24)} ${r.parseMs.toFixed(2).padStart(9)} ${r.checkMs.toFixed(2).padStart(9)} ${r.cpuMs.toFixed(2).padStart(9)}  ${r.verdict}${agree}`);
}
const etcd = results.filter((r) => r.file.startsWith('jepsen/'));
console.log('');
const sum = (rs: Row[], f: (r: Row) => number): string => rs.reduce((a, r) => a + f(r), 0).toFixed(1);
// Porcupine's single-threaded checking time on the same files, measured on this machine (issue 11).
const PORCUPINE_MS: Record<string, number> = { 'etcd set': 457, 'kv/c50-ok.txt': 170, 'kv/c50-bad.txt': 22 };
// Both ratios: on a shared machine wall time carries other processes' load, CPU time does not.
const ratio = (name: string, wallMs: number, cpuMs: number): string => {
  const p = PORCUPINE_MS[name];
  return p === undefined ? '' : `; wall ${(wallMs / p).toFixed(2)}x, cpu ${(cpuMs / p).toFixed(2)}x Porcupine's ${p} ms`;
};
const etcdMs = etcd.reduce((a, r) => a + r.checkMs, 0);
const etcdCpu = etcd.reduce((a, r) => a + r.cpuMs, 0);
console.log(`etcd set (${etcd.length} histories): check ${sum(etcd, (r) => r.checkMs)} ms (cpu ${sum(etcd, (r) => r.cpuMs)} ms), parse ${etcd.reduce((a, r) => a + r.parseMs, 0).toFixed(1)} ms${etcd.length > 0 ? ratio('etcd set', etcdMs, etcdCpu) : ''}`);
for (const r of results.filter((r) => r.file.startsWith('kv/'))) {
  console.log(`${r.file}: check ${r.checkMs.toFixed(1)} ms (cpu ${r.cpuMs.toFixed(1)} ms), parse ${r.parseMs.toFixed(1)} ms${ratio(r.file, r.checkMs, r.cpuMs)}`);
}
console.log(`tiny 8-operation history (model checker hot path): ${tiny.toFixed(2)} µs per check`);
console.log(`(medians of ${runs} runs after a warm-up; Node ${process.version}, single thread)`);
if (results.some((r) => (r.verdict === 'ok') !== (r.expected === 'linearizable'))) process.exitCode = 1;
if (!argv.includes('--no-scale')) runScale(Number(flag('--budget') ?? 20));
