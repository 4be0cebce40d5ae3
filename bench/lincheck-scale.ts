/**
 * How checking time grows with the history, ours and Porcupine's side by side on the
 * same files: generated single-register histories (test/lincheck/long-history.ts:
 * distinct written values, random latencies), linearizable and with one stale read,
 * written as Jepsen etcd logs (the format Porcupine's test parser reads), from 1k to 1M
 * operations and 5 to 100 clients. Each checker runs as a process with a 60 s budget
 * (`heal lincheck --timeout 60`, `porcbench check -timeout 60`, GOMAXPROCS=1); the time
 * is checking alone (parsing excluded, both sides), the median of 3 runs when a run takes
 * under 5 s, one run otherwise. Once a checker gives no answer at a size, the larger
 * sizes of that row are not run for it. Last, the largest size each decides in 60 s.
 *
 *   npx tsx bench/lincheck-scale.ts [--budget SEC] [--sizes 1000,10000] [--clients 5,20]
 *   (also run by npm run bench:lincheck)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longRegisterHistory } from '../test/lincheck/long-history.ts';
import { toEtcdLog } from './lincheck-formats.ts';
import { porcupineEnv, porcupineHarness } from './porcupine.ts';
import { timedProcess, type ProcessRun } from './timed-process.ts';
import { currentBuild, isMain, rerunBundled, root } from './bundled.ts';

const heal = join(root, 'bin/heal.mjs');
/** Whatever a checker holds past this is killed and reported: the machine is shared. */
const MEMORY_GUARD_MB = 8192;

export interface ScaleOptions {
  readonly budgetSeconds?: number;
  readonly sizes?: readonly number[];
  readonly clients?: readonly number[];
}

interface Cell {
  readonly text: string;
  /** Decided (ok or illegal) within the budget. */
  readonly decided: boolean;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function timeChecker(run: () => Promise<ProcessRun>, budget: number): Promise<Cell> {
  const seconds: number[] = [];
  let verdict = '';
  for (let i = 0; i < 3; i++) {
    const r = await run();
    if (r.killed === 'memory') return { text: `killed at ${(MEMORY_GUARD_MB / 1024).toFixed(0)} GB`, decided: false };
    if (r.killed === 'time') return { text: `no answer in ${budget} s (killed)`, decided: false };
    const lin = r.json?.linearizable;
    if (r.json === undefined || lin === null || lin === undefined) {
      return { text: r.json === undefined ? `failed (exit ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''})` : `no answer in ${budget} s`, decided: false };
    }
    verdict = lin ? 'ok' : 'illegal';
    seconds.push(r.json.seconds);
    if (r.json.seconds >= 5) break;
  }
  const s = median(seconds);
  return { text: `${verdict} ${s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(s < 10 ? 2 : 1)} s`}`, decided: true };
}

export async function runScale(options: ScaleOptions = {}): Promise<void> {
  const budget = options.budgetSeconds ?? 60;
  const sizes = options.sizes ?? [1_000, 10_000, 100_000, 1_000_000];
  const clientCounts = options.clients ?? [5, 20, 100];
  await currentBuild();
  const harness = porcupineHarness(root);
  const porcupine = 'bin' in harness ? harness.bin : undefined;
  console.log(`\nGrowth on generated single-register histories (etcd log format), check time, ${budget} s budget each`);
  if (porcupine === undefined) console.log(`Porcupine: not measured: ${(harness as { missing: string }).missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'heal-lincheck-scale-'));
  const col = (s: string) => s.padStart(26);
  console.log(`${'ops'.padStart(9)} ${'clients'.padStart(7)} ${'history'.padEnd(10)} ${col('heal lincheck')} ${col(porcupine ? 'Porcupine' : '')}`);
  /** Per checker, row (clients, history), the size it first failed at. */
  const gaveUp = new Map<string, number>();
  try {
    for (const clients of clientCounts) {
      for (const n of sizes) {
        for (const stale of [false, true]) {
          const history = stale ? 'stale read' : 'correct';
          const file = join(dir, `c${clients}-n${n}-${stale ? 'stale' : 'ok'}.log`);
          writeFileSync(file, toEtcdLog(longRegisterHistory({ ops: n, clients, seed: 1, staleAt: stale ? n >> 1 : undefined })));
          const cells: string[] = [];
          const checkers: [string, (() => Promise<ProcessRun>) | undefined][] = [
            ['ours', () => timedProcess(process.execPath, [heal, 'lincheck', file, '--timeout', String(budget), '--memory-limit', String(MEMORY_GUARD_MB), '--json'], { ...process.env, HEAL_FROM_SOURCE: '0' }, { seconds: budget + 120, memoryMB: MEMORY_GUARD_MB })],
            ['porcupine', porcupine === undefined ? undefined : () => timedProcess(porcupine, ['check', '-model', 'etcd', '-timeout', String(budget), file], porcupineEnv, { seconds: budget + 120, memoryMB: MEMORY_GUARD_MB })],
          ];
          for (const [name, run] of checkers) {
            if (run === undefined) {
              cells.push('');
              continue;
            }
            const row = `${name} ${clients} ${history}`;
            const failedAt = gaveUp.get(row);
            if (failedAt !== undefined) {
              cells.push(`not run (none at ${failedAt.toLocaleString('en')})`);
              continue;
            }
            const cell = await timeChecker(run, budget);
            cells.push(cell.text);
            if (!cell.decided) gaveUp.set(row, n);
          }
          rmSync(file, { force: true });
          console.log(`${n.toLocaleString('en').padStart(9)} ${String(clients).padStart(7)} ${history.padEnd(10)} ${col(cells[0])} ${col(cells[1])}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nLargest history decided within ${budget} s (both the correct and the stale-read one), by clients:`);
  for (const clients of clientCounts) {
    const show = (name: string): string => {
      const failed = [gaveUp.get(`${name} ${clients} correct`), gaveUp.get(`${name} ${clients} stale read`)].filter((x) => x !== undefined);
      const firstFail = failed.length > 0 ? Math.min(...(failed as number[])) : Infinity;
      const ok = sizes.filter((n) => n < firstFail);
      return ok.length === 0 ? 'none of these sizes' : ok[ok.length - 1].toLocaleString('en') + (firstFail === Infinity ? ' (every size tried)' : '');
    };
    console.log(`  ${String(clients).padStart(3)} clients: heal lincheck ${show('ours')}; Porcupine ${porcupine ? show('porcupine') : 'not measured'}`);
  }
}

const bundledExit = isMain('lincheck-scale.ts', import.meta.url) ? await rerunBundled(import.meta.url) : undefined;
if (bundledExit !== undefined) process.exit(bundledExit);
if (isMain('lincheck-scale.ts', import.meta.url)) {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const list = (name: string): number[] | undefined => flag(name)?.split(',').map(Number);
  await runScale({ budgetSeconds: Number(flag('--budget') ?? 60), sizes: list('--sizes'), clients: list('--clients') });
}
