/**
 * Every mutant is caught by `heal check --mutant NAME` (breadth-first, only the
 * persistency x recovery combinations it applies to), and the trace it saves replays.
 * Traces go to a temporary --out directory so the test never litters traces/, except
 * with HEAL_SAVE_TRACES=1, which regenerates the per-mutant traces under traces/ (after
 * a change of the protocol or of its action data, see spec/trace-format.md).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrace } from '../../checker/trace/io.ts';
import { loadMutants } from '../../cli/models/index.ts';
import { heal, lastJson } from './run-heal.ts';

const dir = mkdtempSync(join(tmpdir(), 'heal-cli-mutants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tracesDir = fileURLToPath(new URL('../../traces', import.meta.url));
const saveToTraces = process.env['HEAL_SAVE_TRACES'] === '1';
beforeAll(() => {
  if (!saveToTraces) return;
  // Replace every mutant trace; traces of real-protocol bugs stay.
  for (const f of readdirSync(tracesDir).filter((f) => f.endsWith('.json'))) {
    if (loadTrace(join(tracesDir, f)).mutant !== null) rmSync(join(tracesDir, f));
  }
});

const mutants = await loadMutants();

interface Run {
  persistency: string;
  recovery: string;
  result: string;
  property?: string;
  trace?: string;
}

describe('heal check --mutant', () => {
  it('rejects an unknown mutant, listing the known ones', async () => {
    const run = await heal(['check', '--mutant', 'no-such-mutant']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--mutant: unknown mutant 'no-such-mutant' \(expected one of: /);
    expect(run.stderr).toContain(mutants[0].name);
  });

  it('there are mutants to check', () => {
    expect(mutants.length).toBeGreaterThanOrEqual(10);
  });

  for (const mutant of mutants) {
    // One combination per mutant keeps the suite short: the first it applies to. No bound
    // is given: `check --mutant` applies the bounds the mutant declares (checkWith) on top
    // of the default profile. 'all' is restricted by appliesTo in test/cli/plan.test.ts.
    const persistency = mutant.appliesTo.persistency?.[0] ?? 'eventual';
    const recovery = mutant.appliesTo.recovery?.[0] ?? 'heal';
    const args = ['--persistency', persistency, '--recovery', recovery];
    it(`${mutant.name} is caught as ${mutant.breaks} (${args.join(' ')}) and its trace replays`, async () => {
      const out = saveToTraces ? tracesDir : join(dir, mutant.name);
      const run = await heal(['check', '--mutant', mutant.name, '--strategy', 'bfs', ...args, '--time-limit', '90', '--json', '--out', out]);
      const json = lastJson(run) as { result: string; runs: Run[] };
      expect(json.runs.map((r) => `${r.result} ${r.property ?? ''}`.trim())).toEqual([`violation ${mutant.breaks}`]);
      expect(run.code, run.stderr).toBe(1);
      const trace = json.runs[0].trace!;
      expect(trace.startsWith(join(out, `${mutant.breaks}-`))).toBe(true);
      const replay = await heal(['replay', trace, '--json']);
      expect(replay.code, replay.stdout + replay.stderr).toBe(0);
      expect(JSON.parse(replay.stdout)).toMatchObject({ reproduced: true, property: mutant.breaks, mutant: mutant.name });
    });
  }
});
