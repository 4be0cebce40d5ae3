/** How `heal check` flags become runs (no exploration): combinations, mutants, defaults. */
import { describe, expect, it } from 'vitest';
import { MUTANT_TRACES, parseCheckFlags } from '../../cli/flags.ts';
import { loadMutants, planRuns } from '../../cli/models/index.ts';
import { hasScopeEnds } from '../../src/protocol/persistency/index.ts';

const plan = (...argv: string[]) => planRuns(parseCheckFlags(argv));

describe('planRuns', () => {
  it('defaults: heal, 5 persistency models x 2 recoveries, the quick profile', async () => {
    const runs = await plan();
    expect(runs.map((r) => `${r.persistency}/${r.recovery}`)).toEqual([
      'synch/heal', 'synch/fullcopy', 'strict/heal', 'strict/fullcopy', 'renf/heal', 'renf/fullcopy',
      'scope/heal', 'scope/fullcopy', 'eventual/heal', 'eventual/fullcopy',
    ]);
    for (const r of runs) {
      expect(r.config).toEqual({
        nodes: 4, keys: 1, persistency: r.persistency, recovery: r.recovery, writes: 1, reads: 2,
        scopes: hasScopeEnds(r.persistency) ? 1 : 0, crashes: 0, duplicates: false, mutant: null,
      });
      expect(r.ref).toMatchObject({ factory: 'createHealModel', config: r.config });
      expect(r.ref.module).toMatch(/\/model\/heal\.ts$/);
    }
  });

  it('a mutant restricts "all" to the combinations it applies to', async () => {
    for (const m of await loadMutants()) {
      const runs = await plan('--mutant', m.name);
      expect(runs.length).toBeGreaterThan(0);
      for (const r of runs) {
        expect(r.mutant).toBe(m.name);
        expect((r.config as { mutant: string }).mutant).toBe(m.name);
        if (m.appliesTo.persistency) expect(m.appliesTo.persistency).toContain(r.persistency);
        if (m.appliesTo.recovery) expect(m.appliesTo.recovery).toContain(r.recovery);
      }
      const expected = (m.appliesTo.persistency?.length ?? 5) * (m.appliesTo.recovery?.length ?? 2);
      expect(runs, m.name).toHaveLength(expected);
    }
  });

  it('refuses a combination the mutant does not apply to', async () => {
    const synchOnly = (await loadMutants()).find((m) => m.appliesTo.persistency?.length === 1)!;
    const other = synchOnly.appliesTo.persistency![0] === 'eventual' ? 'synch' : 'eventual';
    await expect(plan('--mutant', synchOnly.name, '--persistency', other)).rejects.toThrow(
      new RegExp(`--persistency ${other}: mutant '${synchOnly.name}' does not apply to it`),
    );
  });

  it('--scopes applies to the Scope model only', async () => {
    const runs = await plan('--scopes', '2', '--recovery', 'heal');
    expect(runs.map((r) => (r.config as { scopes: number }).scopes)).toEqual([0, 0, 0, 2, 0]);
  });

  it('--bounds names a profile; a bound given with it overrides that one bound', async () => {
    const runs = await plan('--bounds', 'standard', '--persistency', 'scope', '--recovery', 'heal', '--crashes', '2');
    expect(runs[0]!.config).toMatchObject({ nodes: 3, keys: 1, writes: 2, reads: 1, scopes: 1, crashes: 2 });
    await expect(plan('--bounds', 'huge')).rejects.toThrow(/--bounds: expected one of quick, standard, wide, got 'huge'/);
  });

  it('a mutant brings its own bounds unless a bound or profile is given', async () => {
    const own = await plan('--mutant', 'mu-no-ts-compare', '--persistency', 'synch');
    expect(own[0]!.config).toMatchObject({ nodes: 3, writes: 2, reads: 0, crashes: 1 });
    const typed = await plan('--mutant', 'mu-no-ts-compare', '--persistency', 'synch', '--writes', '1');
    expect(typed[0]!.config).toMatchObject({ nodes: 3, writes: 1, reads: 0, crashes: 1 });
    const profile = await plan('--mutant', 'mu-no-ts-compare', '--persistency', 'synch', '--bounds', 'quick');
    expect(profile[0]!.config).toMatchObject({ nodes: 4, writes: 1, reads: 2, crashes: 0 });
    const dup = await plan('--mutant', 'scope-ack-unmatched');
    expect(dup[0]!.config).toMatchObject({ nodes: 2, writes: 2, scopes: 2, duplicates: true });
  });

  it('hermes-tla: one run with its own config', async () => {
    const runs = await plan('--model', 'hermes-tla', '--nodes', '3', '--max-version', '2');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ model: 'hermes-tla', persistency: null, recovery: null, mutant: null, config: { nodes: 3, maxVersion: 2 } });
  });
});

describe('where traces go', () => {
  it('a mutant run saves outside the regression folder traces/ unless --out says otherwise', () => {
    expect(parseCheckFlags([]).explore.out).toBe('traces');
    expect(parseCheckFlags(['--mutant', 'read-invalid']).explore.out).toBe(MUTANT_TRACES);
    expect(MUTANT_TRACES.startsWith('traces')).toBe(false);
    expect(parseCheckFlags(['--mutant', 'read-invalid', '--out', 'traces']).explore.out).toBe('traces');
  });
});

describe('configuration bounds', () => {
  // The flags, the model's config schema and the event log's meta line take one set of
  // bounds (CLUSTER_LIMITS): a config one accepts, the others accept too.
  it('heal check accepts each bound and refuses one past it, as the model schema does', async () => {
    const { CLUSTER_LIMITS, DEFAULT_CLUSTER_CONFIG } = await import('../../src/cluster/state.ts');
    const { parseHealConfig } = await import('../../model/heal.ts');
    for (const field of ['nodes', 'keys', 'crashes'] as const) {
      const { min, max } = CLUSTER_LIMITS[field];
      for (const v of [min, max]) {
        const runs = await plan('--persistency', 'synch', '--recovery', 'heal', `--${field}`, String(v));
        expect((runs[0]!.config as Record<string, number>)[field]).toBe(v);
        expect(parseHealConfig(runs[0]!.config)).toMatchObject({ [field]: v });
      }
      await expect(plan(`--${field}`, String(max + 1))).rejects.toThrow(new RegExp(`--${field}`));
      expect(() => parseHealConfig({ ...DEFAULT_CLUSTER_CONFIG, [field]: max + 1 })).toThrow(new RegExp(`field '${field}'`));
    }
  });
});
