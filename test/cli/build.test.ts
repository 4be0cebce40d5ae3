/**
 * The compiled CLI (dist/, bin/build.mjs): it runs the same code as the sources, worker
 * threads and model modules included, and bin/heal.mjs never runs a build older than
 * the sources.
 */
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, buildIsCurrent, ENTRY_POINTS } from '../../bin/build.mjs';
import { explore } from '../../checker/explore/index.ts';
import { loadModel } from '../../checker/load-model.ts';
import { MODELS } from '../../cli/models/index.ts';
import { heal, lastJson, type HealRun } from './run-heal.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The CLI from dist/ only: HEAL_FROM_SOURCE=0 fails rather than fall back to tsx. */
function compiled(args: string[]): Promise<HealRun> {
  return heal(args, undefined, { HEAL_FROM_SOURCE: '0' });
}

describe('the build is current or not used', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heal-build-'));
  const started = Date.now();
  const past = new Date(started - 60_000);
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/a.ts'), '');
  utimesSync(join(dir, 'src/a.ts'), past, past);
  const stamp = (inputs: string[]) => writeFileSync(join(dir, 'dist/build.json'), JSON.stringify({ started, inputs }));

  it('no stamp: not current', () => {
    expect(buildIsCurrent(dir)).toBe(false);
  });
  it('every input older than the build: current', () => {
    stamp(['src/a.ts']);
    expect(buildIsCurrent(dir)).toBe(true);
  });
  it('an input edited after the build started: stale', () => {
    const later = new Date(started + 1000);
    utimesSync(join(dir, 'src/a.ts'), later, later);
    expect(buildIsCurrent(dir)).toBe(false);
    utimesSync(join(dir, 'src/a.ts'), past, past);
  });
  it('an input gone: stale', () => {
    stamp(['src/a.ts', 'src/gone.ts']);
    expect(buildIsCurrent(dir)).toBe(false);
  });
  it('the lock file changed (other dependency versions): stale', () => {
    stamp(['src/a.ts']);
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    expect(buildIsCurrent(dir)).toBe(false);
  });
});

describe('compiled CLI', () => {
  beforeAll(async () => {
    expect(await build()).toBe(true);
    expect(buildIsCurrent()).toBe(true);
  });

  it('every model module the registry hands to workers and replays is an entry of the build', () => {
    for (const model of Object.values(MODELS)) {
      const source = relative(root, fileURLToPath(model.refFor({}).module));
      expect(ENTRY_POINTS, model.name).toContain(source);
    }
    expect(ENTRY_POINTS).toContain('checker/explore/worker.ts');
  });

  it('heal --version prints the package version', async () => {
    const run = await compiled(['--version']);
    expect(run.code, run.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run.stdout.trim()).toBe(`heal ${pkg.version}`);
  });

  it('two worker threads on each model give the counts of the sources explored in-process', async () => {
    const cases = [
      { args: ['--model', 'hermes-tla', '--nodes', '2', '--max-version', '2'], entry: MODELS['hermes-tla']!, config: { nodes: 2, maxVersion: 2 } },
      {
        args: ['--persistency', 'synch', '--recovery', 'heal', '--nodes', '3', '--writes', '1', '--reads', '0', '--crashes', '0'],
        entry: MODELS.heal!,
        config: { nodes: 3, keys: 1, persistency: 'synch', recovery: 'heal', writes: 1, reads: 0, scopes: 0, crashes: 0, duplicates: false, mutant: null },
      },
    ];
    for (const c of cases) {
      const run = await compiled(['check', ...c.args, '--workers', '2', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const reported = (lastJson(run) as { runs: { distinctStates: number; generatedStates: number }[] }).runs[0]!;
      const expected = await explore(await loadModel(c.entry.refFor(c.config)), { strategy: 'bfs', seed: 1, workers: 1, symmetry: false });
      expect(reported.distinctStates, c.entry.name).toBe(expected.distinctStates);
      expect(reported.generatedStates, c.entry.name).toBe(expected.generatedStates);
    }
  });
  it('lincheck --workers 2 runs the bundled partition worker and answers as one thread', async () => {
    expect(ENTRY_POINTS).toContain('checker/lincheck/partition-worker.ts');
    const dir = mkdtempSync(join(tmpdir(), 'heal-build-lincheck-'));
    const events = [0, 1, 2].flatMap((k) => [
      { process: 2 * k, type: 'invoke', f: 'write', key: `k${k}`, value: 1 },
      { process: 2 * k, type: 'ok', f: 'write', key: `k${k}`, value: 1 },
      { process: 2 * k + 1, type: 'invoke', f: 'read', key: `k${k}`, value: null },
      { process: 2 * k + 1, type: 'ok', f: 'read', key: `k${k}`, value: k === 2 ? 7 : 1 },
    ]);
    writeFileSync(join(dir, 'h.json'), JSON.stringify(events));
    const one = await compiled(['lincheck', join(dir, 'h.json')]);
    const two = await compiled(['lincheck', join(dir, 'h.json'), '--workers', '2']);
    expect(two.code, two.stderr).toBe(1);
    expect(two.stdout.split('\n').slice(1)).toEqual(one.stdout.split('\n').slice(1));
    expect(two.stdout).toMatch(/not linearizable on key "k2"/);
  }, 60_000);
});
