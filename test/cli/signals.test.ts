/**
 * What only a real process shows: a reader closing the pipe early, Ctrl-C (SIGINT) in the
 * middle of a search, and the progress lines written for logs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { Strategy } from '../../checker/explore/types.ts';
import { loadModel } from '../../checker/load-model.ts';
import { MODELS } from '../../cli/models/index.ts';

const bin = fileURLToPath(new URL('../../bin/heal.mjs', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'heal-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the CLI; `closeStdout` closes the reading end of its stdout at once (what `| head -1`
 * does after one line), `interruptOn` sends SIGINT once stderr shows that (the search is
 * under way: a Ctrl-C before the check starts simply ends the process).
 */
function heal(args: string[], opts: { closeStdout?: boolean; interruptOn?: RegExp; fromSource?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = opts.fromSource ? { ...process.env, HEAL_FROM_SOURCE: '1' } : process.env;
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let interrupted = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (opts.interruptOn !== undefined && !interrupted && opts.interruptOn.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const history = (name: string, read: number): string => {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify([
      { process: 0, type: 'invoke', f: 'write', value: 1 },
      { process: 0, type: 'ok', f: 'write', value: 1 },
      { process: 1, type: 'invoke', f: 'read', value: null },
      { process: 1, type: 'ok', f: 'read', value: read },
    ]),
  );
  return path;
};

// Whether Node reports EPIPE on a closed stdout depends on timing (the bundle wrote its two
// lines before the reader was gone; the sources through tsx did not): both ways are run.
describe.concurrent.each([
  ['the build', false],
  ['the sources', true],
])('a closed stdout keeps the verdict as the exit code (%s)', (_, fromSource) => {
  it('lincheck on a linearizable history: exit 0', async () => {
    const run = await heal(['lincheck', history(`ok-${fromSource}.json`, 1)], { closeStdout: true, fromSource });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
  });
  it('lincheck on a history that is not linearizable: exit 1', async () => {
    const run = await heal(['lincheck', history(`stale-${fromSource}.json`, 0), '--initial', 'nil'], { closeStdout: true, fromSource });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
  });
  it('replay of a trace that does not reproduce: exit 1, not 0', async () => {
    // A kept counterexample without its last step stops short of the violation (BFS
    // traces are shortest), whatever the protocol does today.
    const name = readdirSync(join(root, 'traces')).filter((f) => f.endsWith('.json')).sort()[0]!;
    const trace = JSON.parse(readFileSync(join(root, 'traces', name), 'utf8')) as { actions: unknown[]; steps: unknown[] };
    expect(trace.actions.length).toBeGreaterThan(1);
    trace.actions.pop();
    trace.steps.pop();
    const short = join(dir, `short-${fromSource}`);
    mkdirSync(short);
    const path = join(short, name);
    writeFileSync(path, JSON.stringify(trace, null, 2));
    const open = await heal(['replay', path], { fromSource });
    expect(open.code, open.stderr).toBe(1);
    const run = await heal(['replay', path], { closeStdout: true, fromSource });
    expect(run.code, run.stderr).toBe(1);
  });
});

describe.concurrent('Ctrl-C stops a check with a report of what it covered (exit 3)', () => {
  for (const workers of ['1', '2']) {
    it(`--workers ${workers}: JSON report, interrupted, with the checked depth; the runs not started are named`, async () => {
      const run = await heal(['check', '--bounds', 'standard', '--persistency', 'synch', '--workers', workers, '--json', '--out', join(dir, 'never')], { interruptOn: /heal check: run 1\/2 .* distinct/ });
      expect(run.signal).toBeNull();
      expect(run.code, run.stderr).toBe(3);
      const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
        result: string;
        interrupted: boolean;
        notStarted: string[];
        runs: { result: string; incompleteReason: string; distinctStates: number; checkedDepth: number }[];
      };
      expect(report).toMatchObject({ result: 'incomplete', interrupted: true, notStarted: ['synch/fullcopy'] });
      expect(report.runs).toHaveLength(1);
      expect(report.runs[0]).toMatchObject({ result: 'incomplete', incompleteReason: 'interrupted' });
      expect(report.runs[0]!.distinctStates).toBeGreaterThan(0);
      expect(typeof report.runs[0]!.checkedDepth).toBe('number');
      expect(run.stderr).toMatch(/interrupted; reporting what was covered/);
      // Logs (stderr not a terminal) get a progress line every few seconds, numbered among the runs.
      expect(run.stderr).toMatch(/^heal check: run 1\/2 synch\/heal: [\d,]+ distinct, [\d,]+ generated, queue [\d,]+, depth \d+, [\d,]+ states\/s, [\d,]+ MB, \d+ s$/m);
    });
  }
  it('text report', async () => {
    const run = await heal(['check', '--bounds', 'standard', '--persistency', 'eventual', '--recovery', 'heal', '--out', join(dir, 'never')], { interruptOn: /heal check: eventual\/heal: .* distinct/ });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/incomplete \(interrupted\)/);
    expect(run.stdout).toMatch(/^interrupted \(Ctrl-C\)$/m);
    expect(run.stdout).toMatch(/every state within \d+ steps? of the start was reached and passed every property/);
  });
});

describe('an interrupt reaches a search that runs synchronously', () => {
  // The default bounds of one combination: far more than a second of work.
  const config = { nodes: 3, keys: 1, persistency: 'synch', recovery: 'heal', writes: 2, reads: 1, scopes: 0, crashes: 1, duplicates: false, mutant: null };
  for (const strategy of ['bfs', 'dfs', 'random'] as Strategy[]) {
    it(`${strategy}: a timer aborting the signal stops it as 'interrupted'`, async () => {
      const model = await loadModel(MODELS.heal!.refFor(config));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const started = performance.now();
      const result = await explore(model, { strategy, seed: 1, workers: 1, symmetry: false, walks: 10_000_000, interrupt: controller.signal });
      expect(result).toMatchObject({ result: 'incomplete', incompleteReason: 'interrupted' });
      expect(result.distinctStates).toBeGreaterThan(0);
      expect(performance.now() - started).toBeLessThan(60_000);
    });
  }
});

/** Processes whose command line names `dir` (a cluster's supervisor, nodes and service all do). */
function processesUnder(dir: string): { pid: number; args: string }[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[2]!.includes(dir) && Number(m[1]) !== process.pid)
    .map((m) => ({ pid: Number(m[1]), args: m[2]! }));
}

describe.concurrent('a stop signal to heal experiment stops the cluster it started', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during the load: exit 3, reported as interrupted, and no process of its cluster left`, async () => {
      const out = join(dir, `experiment-${signal}`);
      const child = spawn(process.execPath, [bin, 'experiment', 'recovery', '--persistency', 'synch', '--recovery', 'heal', '--sizes', '20', '--downtime', '1', '--duration', '60', '--kill-at', '30', '--value-bytes', '8', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The load's first progress line: the cluster is up and under load. Once: a second signal quits at once.
        if (!sent && /\[\s*1 s\]/.test(stderr)) {
          sent = true;
          child.kill(signal);
        }
      });
      const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
      const left = processesUnder(out);
      // Never leave a cluster behind, whatever the verdict.
      for (const p of left) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
      expect(left, stderr).toEqual([]);
      expect(sig, stderr).toBeNull();
      expect(code, stderr).toBe(3);
      expect(stderr).toContain(`heal experiment: ${signal}: stopping the run under way and its cluster`);
      expect(stdout).toMatch(new RegExp(`^interrupted \\(${signal}\\): 0 run\\(s\\) finished before it$`, 'm'));
    }, 30_000);
  }
});
