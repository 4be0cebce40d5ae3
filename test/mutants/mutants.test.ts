/**
 * Every mutant is caught, with a violation of exactly the property it declares, by a
 * BFS of the cluster model (first violation found) under its declared bounds, in every
 * combination it applies to. In its first combination the same search also runs as a
 * user runs it, in-process: `heal check --mutant NAME --symmetry` with no bound given (it
 * applies the mutant's bounds), reduced by value symmetry, which must find a counterexample of the same
 * length (value symmetry keeps shortest counterexamples), and the trace it saves replays.
 * One file, so that each expensive search runs once per suite. Damage a mutant also does
 * deeper than its first violation is shown by a scripted scenario followed by a drain.
 * HEAL_SAVE_TRACES=1 regenerates the per-mutant traces under traces/ (after a change of
 * the protocol or of its action data, see spec/trace-format.md).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { loadTrace } from '../../checker/trace/io.ts';
import { captureConsole } from '../cli/capture-console.ts';
import { expectedBreak, mutants, type MutantName } from '../../src/mutants.ts';
import { explore } from '../../checker/explore/index.ts';
import { combinationsOf } from '../../model/mutant-combinations.ts';
import { HEAL_PROPERTIES } from '../../spec/properties/index.ts';
import { bfs, config, healModel, walk } from '../cluster/harness.ts';
import type { ClusterConfig } from '../../src/cluster/index.ts';
import { mutantBounds } from '../../model/heal-bounds.ts';
import { PERSISTENCIES, hasScopeEnds } from '../../src/protocol/persistency/index.ts';
import { RECOVERIES } from '../../src/protocol/recovery/index.ts';

/** Deeper damage than the first violation BFS reports: the scenario drives the model there. */
const SCRIPTED: Partial<Record<MutantName, { breaks: string; cfg: Partial<ClusterConfig>; steps: string[] }>> = {
  // An older MU entry overwrites the newer INV the shadow got directly; once promoted it
  // disagrees with the replicas that commit the newer write.
  'mu-no-ts-compare': {
    breaks: 'AGREE',
    cfg: { persistency: 'eventual', recovery: 'heal', writes: 2, reads: 0, crashes: 1 },
    steps: [
      'n0 crashes (membership removes it)',
      'client writes k0 at n1',
      'n2 delivers INV(k0, ts 1.1, v1, e1) from n1',
      'n1 delivers ACK(k0, ts 1.1, e1) from n2',
      'n0 restarts and is admitted as a shadow',
      'client writes k0 at n1',
      'n0 delivers INV(k0, ts 2.1, v2, e2) from n1',
      'n0 delivers MU(k0, ts 1.1, v1, valid) from n1',
    ],
  },
};

const captured = captureConsole({ stderrWrites: true });
const dir = mkdtempSync(join(tmpdir(), 'heal-mutants-'));
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

/** `heal ARGS` in-process: exit code and the --json line. */
async function healJson(args: string[]): Promise<{ code: number; json: any }> {
  captured.out.length = 0;
  captured.err.length = 0;
  const code = await main(args);
  return { code, json: JSON.parse(captured.out[captured.out.length - 1] ?? 'null') };
}

describe('heal check --mutant', () => {
  it('rejects an unknown mutant, listing the known ones', async () => {
    expect(await main(['check', '--mutant', 'no-such-mutant'])).toBe(2);
    expect(captured.err.join('')).toMatch(/--mutant: unknown mutant 'no-such-mutant' \(expected one of: /);
    expect(captured.err.join('')).toContain(mutants[0]!.name);
  });

  it('there are mutants to check', () => {
    expect(mutants.length).toBeGreaterThanOrEqual(10);
  });
});

describe('every mutant is caught with the property it declares', () => {
  for (const [name, script] of Object.entries(SCRIPTED) as [MutantName, NonNullable<(typeof SCRIPTED)[MutantName]>][]) {
    it(`${name} also breaks ${script.breaks} (scripted scenario, then a drain)`, () => {
      const cfg = config({ ...script.cfg, mutant: name });
      const trace: string[] = [];
      const v = walkFrom(cfg, script.steps, trace);
      expect(v?.property, trace.join('\n')).toBe(script.breaks);
    });
  }

  // The catch table of `heal mutants`: in every combination a mutant applies to, at its
  // bounds, the first violation a breadth-first search reports. mu-no-ts-compare needs
  // 0.45-1.5 million states per combination (2 writes and a crash): only its cheapest is
  // searched here; bench/mutant-table.ts measures the rest (README).
  for (const m of mutants) {
    const bounds = mutantBounds(m);
    const combinations = m.name === 'mu-no-ts-compare' ? combinationsOf(m).slice(0, 1) : combinationsOf(m);
    combinations.forEach(([persistency, recovery], index) => {
      const expected = expectedBreak(m, persistency, recovery);
      const also = index === 0 ? '; `heal check --mutant` finds it as long with value symmetry, and its trace replays' : '';
      it(`${m.name} (${persistency} x ${recovery}) breaks ${expected}${also}`, async () => {
        // mu-no-ts-compare's search is the suite's most expensive (half a million states,
        // with or without value symmetry): it runs once, as the user runs it, below; the
        // equal-length comparison is made on every other mutant.
        let length: number | null = null;
        if (!(index === 0 && m.name === 'mu-no-ts-compare')) {
          const cfg = config({ persistency, recovery, mutant: m.name, ...bounds, scopes: hasScopeEnds(persistency) ? bounds.scopes : 0 });
          const r = await explore(healModel(cfg), { strategy: 'bfs', seed: 1, workers: 1, symmetry: false, maxStates: 600_000 });
          expect(r.result, `no violation within ${r.distinctStates} states`).toBe('violation');
          expect(r.counterexample!.property).toBe(expected);
          length = r.counterexample!.actions.length;
        }
        if (index > 0) return;

        const out = saveToTraces ? tracesDir : join(dir, m.name);
        const check = await healJson(['check', '--mutant', m.name, '--persistency', persistency, '--recovery', recovery, '--strategy', 'bfs', '--symmetry', '--time-limit', '90', '--json', '--out', out]);
        expect(check.json.runs.map((x: any) => `${x.result} ${x.property ?? ''}`.trim())).toEqual([`violation ${expected}`]);
        expect(check.code, captured.err.join('')).toBe(1);
        const file: string = check.json.runs[0].trace;
        expect(file.startsWith(join(out, `${expected}-`))).toBe(true);
        if (length !== null) expect(loadTrace(file).actions).toHaveLength(length);
        const replay = await healJson(['replay', file, '--json']);
        expect(replay.code, captured.err.join('')).toBe(0);
        expect(replay.json).toMatchObject({ reproduced: true, property: expected, mutant: m.name });
      }, 120_000);
    });
  }

  it('the correct protocol passes the same searches (first 20k states of each default configuration)', async () => {
    for (const persistency of PERSISTENCIES) {
      for (const recovery of RECOVERIES) {
        const r = await explore(healModel(config({ persistency, recovery, scopes: hasScopeEnds(persistency) ? 1 : 0 })), { strategy: 'bfs', seed: 1, workers: 1, symmetry: false, maxStates: 20_000 });
        expect(r.result, `${persistency} x ${recovery}: ${r.counterexample?.property}`).toBe('incomplete');
        expect(r.distinctStates).toBeGreaterThanOrEqual(20_000);
      }
    }
  });

  it('the correct protocol passes a complete search of a crash-free configuration', () => {
    for (const persistency of ['synch', 'renf', 'scope'] as const) {
      const r = bfs(healModel(config({ persistency, scopes: hasScopeEnds(persistency) ? 1 : 0, writes: 1, reads: 1, crashes: 0 })), 300_000);
      expect(r.violation, `${persistency}: ${r.violation?.property} ${r.violation?.message}`).toBeNull();
      expect(r.complete).toBe(true);
    }
  });

  it('every property is broken by at least one mutant', () => {
    const broken = new Set(mutants.map((m) => m.breaks));
    for (const p of [...HEAL_PROPERTIES.map((x) => x.id), 'LIN']) expect(broken.has(p), p).toBe(true);
  });

  it('mutant names are unique and each names a known property', () => {
    const ids = new Set([...HEAL_PROPERTIES.map((x) => x.id), 'LIN']);
    expect(new Set(mutants.map((m) => m.name)).size).toBe(mutants.length);
    for (const m of mutants) expect(ids.has(m.breaks), m.name).toBe(true);
  });
});

/** Replays the scripted prefix then lets `walk` drain and check everything. */
function walkFrom(cfg: ClusterConfig, steps: string[], trace: string[]) {
  const model = healModel(cfg);
  // Translate the script into choice indices so the shared walk driver (with its
  // per-step, quiescent and terminal checks) runs it.
  let s = model.initialStates()[0]!;
  const choices: number[] = [];
  for (const step of steps) {
    const acts = model.actions(s);
    const i = acts.findIndex((x) => model.describeAction(x) === step);
    choices.push(i);
    s = model.next(s, acts[i]!);
  }
  return walk(model, cfg, choices, trace);
}
