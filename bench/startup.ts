/**
 * Start-up benchmark: what a user waits for before any checking starts. Median wall time
 * of `node -e 0` (the floor: Node itself), `heal --version` and `heal lincheck` on a
 * 58-operation history, measured side by side: every round runs each command once, in
 * turn, so a load spike on this shared machine hits all of them alike. Ratios are to
 * `node -e 0`. The CLI rows run the build in dist/ (made first, so it is current); the last
 * row runs the CLI from its TypeScript sources through tsx (HEAL_FROM_SOURCE=1), which is
 * what every start cost before the build.
 *
 *   npm run bench:startup [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 15;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got '${argv[runsAt + 1]}'`);

const bin = fileURLToPath(new URL('../bin/heal.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'heal-startup-'));

/**
 * 58 operations on one register by three clients, overlapping in pairs: small, like the
 * history the issue timed, and linearizable, so the run ends in exit 0 after a real check.
 */
function smallHistory(): string {
  const events: object[] = [];
  let value = 0;
  for (let i = 0; i < 29; i++) {
    const writer = i % 3;
    const reader = (i + 1) % 3;
    value += 1;
    events.push({ process: writer, type: 'invoke', f: 'write', value });
    events.push({ process: reader, type: 'invoke', f: 'read', value: null });
    events.push({ process: writer, type: 'ok', f: 'write', value });
    events.push({ process: reader, type: 'ok', f: 'read', value });
  }
  return JSON.stringify(events);
}
const history = join(dir, 'history-58.json');
writeFileSync(history, smallHistory());

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly expectCode: number;
}

const cases: Case[] = [
  { label: 'node -e 0', args: ['-e', '0'], expectCode: 0 },
  { label: 'heal --version', args: [bin, '--version'], env: { HEAL_FROM_SOURCE: '0' }, expectCode: 0 },
  { label: 'heal lincheck (58 ops)', args: [bin, 'lincheck', history], env: { HEAL_FROM_SOURCE: '0' }, expectCode: 0 },
  { label: 'heal lincheck, from source (tsx)', args: [bin, 'lincheck', history], env: { HEAL_FROM_SOURCE: '1' }, expectCode: 0 },
];

function once(c: Case): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, c.args, { env: { ...process.env, ...c.env }, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== c.expectCode) {
    throw new Error(`${c.label}: exit ${r.status} (expected ${c.expectCode})\n${r.stdout}${r.stderr}`);
  }
  return ms;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const built = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/build.mjs', import.meta.url))], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);

try {
  for (const c of cases) once(c); // warm-up: disk cache, compile cache
  const times = cases.map((): number[] => []);
  for (let round = 0; round < runs; round++) {
    cases.forEach((c, i) => times[i]!.push(once(c)));
  }
  const floor = median(times[0]!);
  const rows = cases.map((c, i) => {
    const t = times[i]!;
    return [c.label, median(t).toFixed(0), Math.min(...t).toFixed(0), Math.max(...t).toFixed(0), (median(t) / floor).toFixed(2)];
  });
  const header = ['command', 'median ms', 'min', 'max', 'x node -e 0'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(`start-up, median of ${runs} rounds (each round runs every command once, in turn; node ${process.version})`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
