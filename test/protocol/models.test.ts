/**
 * The registries of persistency models and recoveries, and what derives from them: every
 * registered model is one the CLI offers and whose guarantee spec/properties checks, and
 * every mutant the rules test for is a registered one (also enforced by tsc: MutantName).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { healConfigSchema } from '../../model/heal.ts';
import { HEAL_PROPERTIES } from '../../spec/properties/index.ts';
import { findMutant } from '../../src/mutants.ts';
import { PERSISTENCIES, PERSISTENCY } from '../../src/protocol/persistency/index.ts';
import { RECOVERIES, RECOVERY } from '../../src/protocol/recovery/index.ts';
import { MSG_NAMES, PACK } from '../../src/protocol/types.ts';
import { captureConsole } from '../cli/capture-console.ts';
import { config } from '../cluster/harness.ts';
import { ctx, node } from './helpers.ts';

const { out } = captureConsole();

describe('the persistency registry', () => {
  it('keys each model by its own name, in run order', () => {
    expect(PERSISTENCIES).toEqual(['synch', 'strict', 'renf', 'scope', 'eventual']);
    for (const p of PERSISTENCIES) expect(PERSISTENCY[p].name).toBe(p);
    expect(RECOVERIES).toEqual(['heal', 'fullcopy']);
    for (const r of RECOVERIES) expect(RECOVERY[r].name).toBe(r);
  });

  it("names as each model's guarantee the one model-specific property that applies to it", () => {
    const appliesUnder = (id: string) =>
      PERSISTENCIES.filter((p) => HEAL_PROPERTIES.find((q) => q.id === id)!.appliesTo(config({ persistency: p, recovery: 'heal' })));
    const specific = HEAL_PROPERTIES.map((q) => q.id).filter((id) => appliesUnder(id).length < PERSISTENCIES.length);
    for (const p of PERSISTENCIES) {
      const own = specific.filter((id) => appliesUnder(id).includes(p));
      expect(own, p).toEqual(PERSISTENCY[p].guarantee === null ? [] : [PERSISTENCY[p].guarantee]);
    }
  });

  it('gives every message type that is not the base protocol\'s or HEAL\'s to exactly one model', () => {
    const base = ['INV', 'ACK', 'VAL', 'DURABLE', 'START_ACK', 'MU', 'MU_END'];
    const owned = PERSISTENCIES.flatMap((p) => PERSISTENCY[p].messages.map((t) => MSG_NAMES[t]));
    expect(new Set(owned).size).toBe(owned.length);
    expect([...base, ...owned].sort()).toEqual([...MSG_NAMES].sort());
  });

  it('refuses a message of another model instead of ignoring it', () => {
    const c = ctx({ persistency: 'synch' });
    const pack = { type: PACK, from: 1, to: 0, key: 0, ts: 1, value: 0, epoch: 0, durableAt: 0, count: 0, valid: false } as const;
    expect(() => c.persistency.onMessage(node(), c, pack)).toThrow(/not one this persistency model sends/);
  });

  it('is what the config schema and the help text accept', async () => {
    expect(healConfigSchema.shape.persistency.options).toEqual([...PERSISTENCIES]);
    expect(healConfigSchema.shape.recovery.options).toEqual([...RECOVERIES]);
    expect(await main(['check', '--help'])).toBe(0);
    const help = out.join('\n');
    expect(help).toContain(`${PERSISTENCIES.join('|')}|all (default all)`);
    expect(help).toContain(`${RECOVERIES.join('|')}|all (default all)`);
  });
});

describe('mutant names', () => {
  it('every name a rule under src/ tests for is a registered mutant', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const names = new Set<string>();
    for (const f of files('src')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/mutant [!=]== '([^']+)'/g)) names.add(m[1]!);
    }
    expect(names.size).toBeGreaterThan(20);
    for (const n of names) expect(findMutant(n), n).toBeDefined();
  });

  it('a misspelt name does not type-check (npx tsc --noEmit rejects the comparison)', () => {
    const c = ctx();
    // @ts-expect-error 'typo' is no MutantName, so the comparison can never be true: tsc fails.
    expect(c.mutant === 'typo').toBe(false);
  });
});
