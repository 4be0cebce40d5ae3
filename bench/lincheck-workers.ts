/**
 * `heal lincheck --workers N` against one worker on many-key histories: Porcupine's kv
 * files (10 keys) and generated kv histories of 100 keys (bench/lincheck-gen.ts --keys
 * 100 --format kv), linearizable and with one stale read. The compiled CLI runs each
 * (file, N) as a process, in turn, 3 rounds; the figures are medians of the check time
 * (parsing excluded) and of the whole process. Every N must print the same verdict and
 * explanation as one worker (the first line, which carries the time, aside).
 *
 *   npx tsx bench/lincheck-workers.ts [--workers 1,2,4] [--ops 100000] [--clients 500]
 *   (also run by npm run bench:lincheck)
 */
import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { longRegisterHistory } from '../test/lincheck/long-history.ts';
import { toKvLog } from './lincheck-formats.ts';
import { currentBuild, isMain, rerunBundled, root } from './bundled.ts';

const heal = join(root, 'bin/heal.mjs');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export interface WorkersOptions {
  readonly workers?: readonly number[];
  readonly ops?: number;
  readonly clients?: number;
  readonly dataDir: string;
}

export async function runWorkers(o: WorkersOptions): Promise<void> {
  await currentBuild();
  const counts = o.workers ?? [...new Set([1, 2, 2 * availableParallelism()])];
  const ops = o.ops ?? 100_000;
  const clients = o.clients ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'heal-lincheck-workers-'));
  const files: [string, string][] = [
    ['kv/c50-ok.txt', join(o.dataDir, 'kv/c50-ok.txt')],
    ['kv/c50-bad.txt', join(o.dataDir, 'kv/c50-bad.txt')],
  ];
  for (const stale of [false, true]) {
    const name = `gen 100 keys, ${ops.toLocaleString('en')} ops, ${clients} clients${stale ? ', stale read' : ''}`;
    const path = join(dir, `${stale ? 'stale' : 'ok'}.kv`);
    writeFileSync(path, toKvLog(longRegisterHistory({ ops, clients, keys: 100, seed: 1, staleAt: stale ? ops >> 1 : undefined })));
    files.push([name, path]);
  }
  console.log(`\n--workers on many-key histories (kv model; ${availableParallelism()} cores here): check s / whole process s, median of 3`);
  console.log(`${'history'.padEnd(46)} ${counts.map((n) => `${n} worker${n > 1 ? 's' : ''}`.padStart(16)).join(' ')}  verdict`);
  try {
    for (const [name, path] of files) {
      const check = new Map<number, number[]>();
      const wall = new Map<number, number[]>();
      let reference: string | undefined;
      let verdict = '';
      let same = true;
      for (let round = 0; round < 3; round++) {
        for (const n of counts) {
          const t = performance.now();
          const r = spawnSync(process.execPath, [heal, 'lincheck', path, '--model', 'kv', '--workers', String(n), '--json'], {
            encoding: 'utf8',
            env: { ...process.env, HEAL_FROM_SOURCE: '0' },
          });
          const w = (performance.now() - t) / 1000;
          const lines = r.stdout.trim().split('\n');
          const json = JSON.parse(lines[lines.length - 1]) as { linearizable: boolean | null; seconds: number };
          const body = lines.slice(1, -1).join('\n');
          reference ??= body;
          if (body !== reference) same = false;
          verdict = `exit ${r.status}, ${json.linearizable === true ? 'linearizable' : json.linearizable === false ? 'not linearizable' : 'unknown'}`;
          check.set(n, [...(check.get(n) ?? []), json.seconds]);
          wall.set(n, [...(wall.get(n) ?? []), w]);
        }
      }
      const cells = counts.map((n) => `${median(check.get(n)!).toFixed(2)} / ${median(wall.get(n)!).toFixed(2)}`.padStart(16));
      console.log(`${name.padEnd(46)} ${cells.join(' ')}  ${verdict}${same ? '' : '  OUTPUT DIFFERS between worker counts'}`);
      if (!same) process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bundledExit = isMain('lincheck-workers.ts', import.meta.url) ? await rerunBundled(import.meta.url) : undefined;
if (bundledExit !== undefined) process.exit(bundledExit);
if (isMain('lincheck-workers.ts', import.meta.url)) {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  await runWorkers({
    workers: flag('--workers')?.split(',').map(Number),
    ops: flag('--ops') === undefined ? undefined : Number(flag('--ops')),
    clients: flag('--clients') === undefined ? undefined : Number(flag('--clients')),
    dataDir: process.env.PORCUPINE_DATA ?? join(root, '../shared/data/porcupine'),
  });
}
