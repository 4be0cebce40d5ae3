/**
 * The default `heal check` catches every mutant in every combination it applies to: the
 * crash-free ones in its exhaustive part (quick bounds), the one that needs a message
 * delivered twice in its redelivery part (2 nodes, 2 writes, duplicate delivery), the
 * ones that need a crash in its swarm walks at the wide bounds (same seed, same walks as
 * the plain run). Each mutant is tried on the part expected to catch it first, the others
 * only if that misses, so the table costs seconds; what is asserted is the plain run's
 * verdict.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import { loadModel } from '../../checker/load-model.ts';
import { walkFlags, walkPlans, DEFAULT_WIDE_WALKS } from '../../cli/commands/check-walks.ts';
import { redeliveryPlans } from '../../cli/commands/check-redelivery.ts';
import { parseCheckFlags } from '../../cli/flags.ts';
import { planRuns, type RunPlan } from '../../cli/models/index.ts';
import { mutants } from '../../src/mutants.ts';

async function firstViolation(plan: RunPlan, walks: boolean): Promise<string | null> {
  const model = await loadModel(plan.ref);
  const base = { strategy: 'bfs' as const, seed: 1, workers: 1, symmetry: false, out: '', json: true };
  const options = walks ? walkFlags(base, DEFAULT_WIDE_WALKS, 1) : base;
  const { timeLimitSeconds: _cap, ...deterministic } = options as typeof options & { timeLimitSeconds?: number };
  const r = await explore(model, deterministic);
  if (r.result === 'incomplete' && r.incompleteReason !== 'walks') throw new Error(`stopped at ${r.incompleteReason}`);
  return r.counterexample?.property ?? null;
}

type Part = 'exhaustive' | 'redelivery' | 'walks';

describe('the plain heal check catches every mutant in every combination it applies to', () => {
  for (const m of mutants) {
    it(m.name, async () => {
      const plans = await planRuns(parseCheckFlags(['--mutant', m.name, '--bounds', 'quick']));
      const parts: Record<Part, RunPlan[]> = { exhaustive: plans, redelivery: redeliveryPlans(plans), walks: walkPlans(plans) };
      // The quick bounds have no crash, one write and no re-delivery: a mutant that needs
      // a crash is for the walks, one that needs a message delivered twice for the redelivery runs.
      const order: Part[] = m.checkWith?.duplicates === true
        ? ['redelivery', 'exhaustive', 'walks']
        : (m.checkWith?.crashes ?? 0) > 0 || (m.checkWith?.writes ?? 1) > 1
          ? ['walks', 'exhaustive', 'redelivery']
          : ['exhaustive', 'redelivery', 'walks'];
      const caught: string[] = [];
      for (let i = 0; i < plans.length; i++) {
        let found: string | null = null;
        let by = '';
        for (const part of order) {
          found = await firstViolation(parts[part][i]!, part === 'walks');
          if (found !== null) {
            by = part;
            break;
          }
        }
        caught.push(`${plans[i]!.persistency}/${plans[i]!.recovery}: ${found === null ? 'missed' : `${by} ${found}`}`);
      }
      expect(caught.filter((c) => c.endsWith('missed')), caught.join('\n')).toEqual([]);
    }, 300_000);
  }
});
