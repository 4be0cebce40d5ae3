/**
 * Every mutant is caught by `heal check --mutant NAME` (breadth-first, only the
 * persistency x recovery combinations it applies to), and the trace it saves replays.
 * Traces go to a temporary --out directory so the test never litters traces/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMutants } from '../../cli/models/index.ts';
import { heal, lastJson } from './run-heal.ts';

const dir = mkdtempSync(join(tmpdir(), 'heal-cli-mutants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    it(`${mutant.name} is caught (${mutant.breaks}) and its trace replays`, async () => {
      const out = join(dir, mutant.name);
      const run = await heal(['check', '--mutant', mutant.name, '--strategy', 'bfs', '--json', '--out', out]);
      expect(run.code, run.stderr).toBe(1);
      const json = lastJson(run) as { result: string; runs: Run[] };
      expect(json.result).toBe('violation');
      for (const r of json.runs) {
        if (mutant.appliesTo.persistency) expect(mutant.appliesTo.persistency).toContain(r.persistency);
        if (mutant.appliesTo.recovery) expect(mutant.appliesTo.recovery).toContain(r.recovery);
      }
      const caught = json.runs.filter((r) => r.result === 'violation');
      expect(caught.map((r) => r.property)).toContain(mutant.breaks);
      const replayed = caught.find((r) => r.property === mutant.breaks)!;
      const replay = await heal(['replay', replayed.trace!, '--json']);
      expect(replay.code, replay.stdout + replay.stderr).toBe(0);
      expect(JSON.parse(replay.stdout)).toMatchObject({ reproduced: true, property: mutant.breaks, mutant: mutant.name });
    });
  }
});
