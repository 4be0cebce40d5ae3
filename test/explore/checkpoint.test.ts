/**
 * Kill and resume, as a user would: a check is killed (SIGKILL) in the middle of a run,
 * resumed from its last checkpoint, and must end with the counts and verdict of a run
 * never interrupted. Checkpoints of another configuration or tool version are refused.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import { heal, lastJson } from '../cli/run-heal.ts';
import { createMailbox, mailboxRef } from './toy-models.ts';

const bin = fileURLToPath(new URL('../../bin/heal.mjs', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
// About 70,000 states with duplicate delivery, a few seconds; a small frontier bound so
// that the checkpoint also carries states spilled to disk.
const CONFIG = ['--nodes', '3', '--persistency', 'eventual', '--recovery', 'heal', '--writes', '2', '--reads', '1', '--crashes', '0', '--duplicates', '--frontier-memory', '1', '--json'];

interface Run {
  readonly result: string;
  readonly runs: { distinctStates: number; generatedStates: number; maxDepth: number; result: string; resumedFrom?: number }[];
}

/** Starts a checkpointing check and kills it once a checkpoint is on disk. */
async function startAndKill(dir: string, extra: string[] = [], waitForSpill = true): Promise<void> {
  const child = spawn(process.execPath, [bin, 'check', ...CONFIG, ...extra, '--checkpoint', dir, '--checkpoint-every', '0.01'], { cwd: root, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ckpt = path.join(dir, 'eventual-heal.ckpt');
  let ended = false;
  void exited.then(() => (ended = true));
  // Wait for a checkpoint and a spilled frontier (polling, not a fixed delay: on a loaded
  // machine the run may need longer to get there), then kill it mid-level.
  const spilled = (): boolean => !waitForSpill || fs.readdirSync(dir).some((f) => f.startsWith('heal-frontier-'));
  for (let waited = 0; !(fs.existsSync(ckpt) && spilled()); waited += 50) {
    if (ended) throw new Error('the run ended before a checkpoint with a spilled frontier was on disk');
    if (waited > 60_000) throw new Error('no checkpoint within a minute');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await exited;
}

/** The uninterrupted run both kill-and-resume tests compare with, run once. */
let wholeRun: Promise<Run> | undefined;
const uninterrupted = (): Promise<Run> => (wholeRun ??= heal(['check', ...CONFIG]).then((r) => lastJson(r) as Run));

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heal-ckpt-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('checkpoint and resume', () => {
  it('a run killed with SIGKILL and resumed ends with the counts and verdict of an uninterrupted one', async () => {
    const dir = tempDir();
    const whole = await uninterrupted();
    expect(whole.result).toBe('ok');
    await startAndKill(dir);
    // Killed before the end: no report of an ended run, a checkpoint to continue from.
    expect(fs.existsSync(path.join(dir, 'eventual-heal.done.json'))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('heal-frontier-'))).toBe(true);

    // Refusals come before anything is overwritten: another configuration ...
    const other = await heal(['check', '--resume', dir, '--writes', '1']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/config\.writes is 2 in the checkpoint but 1 in this run/);
    // ... a fresh check into a directory that holds one ...
    const fresh = await heal(['check', ...CONFIG, '--checkpoint', dir]);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(/already holds a check; continue it with --resume/);
    // ... and a checkpoint file written by another version.
    const ckpt = path.join(dir, 'eventual-heal.ckpt');
    const bytes = fs.readFileSync(ckpt);
    const version = Buffer.from(JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, 'check.json'), 'utf8')).version));
    const at = bytes.indexOf(version);
    expect(at).toBeGreaterThan(0);
    const forged = Buffer.from(bytes);
    forged.write('"heal-ref 9.9.9"'.padEnd(version.length, ' ').slice(0, version.length), at, 'latin1');
    fs.writeFileSync(ckpt, forged);
    const old = await heal(['check', '--resume', dir]);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/taken by another run: tool is "heal-ref 9\.9\.9/);
    fs.writeFileSync(ckpt, bytes);

    const resumed = await heal(['check', '--resume', dir]);
    expect(resumed.code).toBe(0);
    const r = lastJson(resumed) as Run;
    expect(r.result).toBe(whole.result);
    const [a, b] = [r.runs[0]!, whole.runs[0]!];
    expect(a.resumedFrom).toBeGreaterThan(0);
    expect(a.resumedFrom).toBeLessThan(b.distinctStates);
    expect([a.distinctStates, a.generatedStates, a.maxDepth, a.result]).toEqual([b.distinctStates, b.generatedStates, b.maxDepth, b.result]);
    // The killed run's spill files are gone; the ended run is recorded, its checkpoint
    // gone; resuming again reruns nothing.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('heal-frontier-'))).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'eventual-heal.done.json'))).toBe(true);
    expect(fs.existsSync(ckpt)).toBe(false);
    const again = lastJson(await heal(['check', '--resume', dir])) as Run;
    expect(again.runs[0]!.distinctStates).toBe(b.distinctStates);
    const versionFile = path.join(dir, 'check.json');
    fs.writeFileSync(versionFile, fs.readFileSync(versionFile, 'utf8').replace(/heal-ref [^"]*/, 'heal-ref 0.0.0'));
    const stale = await heal(['check', '--resume', dir]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/checkpoint taken by heal-ref 0\.0\.0, this is heal-ref/);
  }, 240_000);

  it('the same with two workers (the checkpoint is taken between levels)', async () => {
    const dir = tempDir();
    const whole = await uninterrupted();
    await startAndKill(dir, ['--workers', '2'], false);
    expect(fs.existsSync(path.join(dir, 'eventual-heal.done.json'))).toBe(false);
    const one = await heal(['check', '--resume', dir, '--workers', '1']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/taken by a run on several workers/);
    const resumed = await heal(['check', '--resume', dir]);
    expect(resumed.code).toBe(0);
    const [a, b] = [(lastJson(resumed) as Run).runs[0]!, whole.runs[0]!];
    expect(a.resumedFrom).toBeGreaterThan(0);
    expect(a.resumedFrom).toBeLessThan(b.distinctStates);
    expect([a.distinctStates, a.generatedStates, a.maxDepth, a.result]).toEqual([b.distinctStates, b.generatedStates, b.maxDepth, b.result]);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.ckpt'))).toEqual([]);
  }, 240_000);

  it('a parallel search cut short goes on from its last checkpoint to the counts of one thread', async () => {
    const dir = tempDir();
    const options = { strategy: 'bfs', seed: 1, workers: 2, symmetry: false, frontierMemoryMB: 0.05 } as const;
    // A checkpoint at every level boundary; each session stops a little further on.
    const checkpoint = { file: path.join(dir, 'm.ckpt'), everySeconds: 1e-6, identity: { n: 12 }, resume: true };
    const whole = await explore(createMailbox({ n: 12 }), { ...options, workers: 1 });
    const resumedFrom: number[] = [];
    for (const maxStates of [3000, 9000, 20000]) {
      const cut = await explore(mailboxRef({ n: 12 }), { ...options, checkpoint, maxStates });
      expect(cut.result).toBe('incomplete');
      resumedFrom.push(cut.resumedFrom ?? 0);
    }
    const r = await explore(mailboxRef({ n: 12 }), { ...options, checkpoint });
    resumedFrom.push(r.resumedFrom!);
    expect(resumedFrom[0]).toBe(0);
    for (let i = 1; i < resumedFrom.length; i++) expect(resumedFrom[i]).toBeGreaterThan(resumedFrom[i - 1]!);
    expect(r.result).toBe('ok');
    expect([r.distinctStates, r.generatedStates, r.maxDepth]).toEqual([whole.distinctStates, whole.generatedStates, whole.maxDepth]);
  }, 240_000);

  it('a search stopped by its time limit continues from its last checkpoint to the same counts and counterexample', async () => {
    const dir = tempDir();
    const base = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false, frontierMemoryMB: 0.05 } as const;
    const checkpoint = { file: path.join(dir, 'm.ckpt'), everySeconds: 0.05, identity: { n: 13 }, resume: true };
    const bad = { n: 13, badCrowd: 12 };
    const whole = await explore(createMailbox(bad), base);
    let r = await explore(createMailbox(bad), { ...base, checkpoint, timeLimitSeconds: 0.2 });
    let sessions = 1;
    while (r.result === 'incomplete') {
      r = await explore(createMailbox(bad), { ...base, checkpoint, timeLimitSeconds: 0.2 });
      sessions++;
    }
    expect(sessions).toBeGreaterThan(1);
    expect(r.result).toBe('violation');
    expect(r.counterexample).toEqual(whole.counterexample);
    expect(r.counterexample!.actions).toHaveLength(12);
    expect([r.distinctStates, r.generatedStates]).toEqual([whole.distinctStates, whole.generatedStates]);
  }, 120_000);
});
