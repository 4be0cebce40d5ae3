/**
 * Duplicate delivery: a message stays in flight after delivery, so quiescence depends on
 * the successors (every delivery must stutter). Every strategy must count the same
 * states as a naive reference explorer, judge quiescence by the same rule, and never be
 * thrown off by a model whose encoder reuses one buffer.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { propertyViolation } from '../../checker/trace/property.ts';
import type { ModelRef } from '../../checker/model.ts';
import { createHealModel, type HealConfig } from '../../model/heal.ts';
import { referenceExplore } from './reference.ts';
import { createMailbox, mailboxRef, replayActions, type MailboxConfig } from './toy-models.ts';

const base: ExploreOptions = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false };
const healRef = (config: HealConfig): ModelRef => ({ module: new URL('../../model/heal.ts', import.meta.url).href, factory: 'createHealModel', config });

describe('the mailbox toy (duplicate delivery in miniature)', () => {
  it('has the closed-form count, by the reference explorer and every strategy', async () => {
    for (const n of [1, 3, 6]) {
      const expected = 2 ** n + n * 2 ** (n - 1);
      const ref = referenceExplore(createMailbox({ n }));
      expect(ref.distinct).toBe(expected);
      expect(ref.generated).toBe(1 + n * expected);
      for (const options of [base, { ...base, strategy: 'dfs' as const }]) {
        const r = await explore(createMailbox({ n }), options);
        expect(r.result).toBe('ok');
        expect([r.distinctStates, r.generatedStates]).toEqual([ref.distinct, ref.generated]);
      }
      const two = await explore(mailboxRef({ n }), { ...base, workers: 2 });
      expect([two.distinctStates, two.generatedStates]).toEqual([ref.distinct, ref.generated]);
    }
  });

  it('survives an encoder that reuses one buffer and properties that call it', async () => {
    // Were a state queued after its properties ran, it would be queued as the scribbled
    // state they encoded last, and the counts (or the decoder) would go wrong.
    const ref = referenceExplore(createMailbox({ n: 6 }));
    for (const options of [base, { ...base, strategy: 'dfs' as const }]) {
      const r = await explore(createMailbox({ n: 6, clobber: true }), options);
      expect(r.result).toBe('ok');
      expect([r.distinctStates, r.generatedStates]).toEqual([ref.distinct, ref.generated]);
    }
    const two = await explore(mailboxRef({ n: 6, clobber: true }), { ...base, workers: 2 });
    expect([two.distinctStates, two.generatedStates]).toEqual([ref.distinct, ref.generated]);
    const walks = await explore(createMailbox({ n: 6, clobber: true }), { ...base, strategy: 'random', walks: 200, maxDepth: 20 });
    expect(walks.result).toBe('incomplete');
    expect(walks.distinctStates).toBeLessThanOrEqual(ref.distinct);
  });

  it('judges a quiescent property where every delivery stutters, and only there', async () => {
    const config: MailboxConfig = { n: 5, badSettled: 3 };
    const model = createMailbox(config);
    const ref = referenceExplore(model);
    expect(ref.shallowestViolation).toEqual({ property: 'SETTLED', depth: 2 });
    for (const options of [base, { ...base, strategy: 'dfs' as const }, { ...base, strategy: 'random' as const, walks: 500, maxDepth: 12 }]) {
      const r = await explore(createMailbox({ ...config, clobber: true }), options);
      expect(r.result).toBe('violation');
      expect(r.counterexample!.property).toBe('SETTLED');
      const end = replayActions(model, 0, r.counterexample!.actions);
      expect(end.reg).toBe(3);
      // Replay judges the final state by the same rule: quiescent, though messages remain.
      expect(propertyViolation(model, model.properties.find((p) => p.id === 'SETTLED')!, end)).toBe('settled at 3');
    }
    // Not quiescent: 4 was sent and delivering it changes the register.
    const unsettled = replayActions(model, 0, [{ kind: 'send', v: 3 }, { kind: 'deliver', v: 3 }, { kind: 'send', v: 4 }]);
    expect(propertyViolation(model, model.properties.find((p) => p.id === 'SETTLED')!, unsettled)).toBeNull();
    const settledElsewhere = await explore(createMailbox({ n: 5, badSettled: 9 }), base);
    expect(settledElsewhere.result).toBe('ok');
  });

  it('reports a shortest counterexample when a quiescent violation is a level above a state one', async () => {
    // CROWDED fails at depth 3 (three values sent); SETTLED at depth 2 (send 5, deliver 5).
    // States expanded before (5 sent, 5 delivered) in level 2 already reach depth 3.
    const config: MailboxConfig = { n: 5, badSettled: 5, badCrowd: 3 };
    const ref = referenceExplore(createMailbox(config));
    expect(ref.shallowestViolation).toEqual({ property: 'SETTLED', depth: 2 });
    expect(ref.violated.has('CROWDED')).toBe(true);
    const one = await explore(createMailbox(config), base);
    const two = await explore(mailboxRef(config), { ...base, workers: 2 });
    for (const r of [one, two]) {
      expect(r.counterexample!.property).toBe('SETTLED');
      expect(r.counterexample!.actions).toHaveLength(2);
    }
  });
});

describe('the HEAL model with --duplicates', () => {
  const heal = (over: Partial<HealConfig>): HealConfig => ({
    nodes: 3, keys: 1, persistency: 'synch', recovery: 'heal', writes: 1, reads: 0, scopes: 0, crashes: 0, duplicates: true, mutant: null, ...over,
  });

  for (const config of [
    heal({}),
    heal({ persistency: 'eventual', recovery: 'fullcopy', writes: 1, reads: 1 }),
    heal({ persistency: 'scope', scopes: 1, writes: 1, reads: 1 }),
  ]) {
    it(`counts as the reference explorer does, BFS, DFS and 2 workers: ${config.persistency}/${config.recovery} w=${config.writes} r=${config.reads}`, async () => {
      const ref = referenceExplore(createHealModel(config));
      expect(ref.violated.size).toBe(0);
      for (const options of [base, { ...base, strategy: 'dfs' as const }]) {
        const r = await explore(createHealModel(config), options);
        expect(r.result).toBe('ok');
        expect([r.distinctStates, r.generatedStates]).toEqual([ref.distinct, ref.generated]);
      }
      const two = await explore(healRef(config), { ...base, workers: 2 });
      expect(two.result).toBe('ok');
      expect([two.distinctStates, two.generatedStates]).toEqual([ref.distinct, ref.generated]);
    }, 60_000);
  }
});
