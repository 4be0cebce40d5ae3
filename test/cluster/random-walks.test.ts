/**
 * Seeded random walks through the cluster model for every persistency x recovery
 * combination, with crashes, re-crashes during recovery and restarts: every per-state
 * property at every step, then a drain and the quiescent (and terminal) properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERSISTENCIES, hasScopeEnds } from '../../src/protocol/persistency/index.ts';
import { RECOVERIES } from '../../src/protocol/recovery/index.ts';
import { config, healModel, walk } from './harness.ts';

const RUNS = Number(process.env.HEAL_WALKS ?? 2000);
const SEED = Number(process.env.HEAL_SEED ?? 20260213);

describe('random walks hold every property', () => {
  for (const persistency of PERSISTENCIES) {
    for (const recovery of RECOVERIES) {
      it(`${persistency} x ${recovery}: ${RUNS} walks`, () => {
        const cfg = config({
          persistency, recovery, writes: 3, reads: 2, crashes: 2, scopes: hasScopeEnds(persistency) ? 2 : 0,
        });
        const model = healModel(cfg);
        fc.assert(
          fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 5, maxLength: 60 }), (choices) => {
            const v = walk(model, cfg, choices);
            if (v) throw new Error(`${v.property}: ${v.message}\n  ${v.actions.join('\n  ')}`);
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });
    }
  }
});

describe('random walks with duplicate delivery', () => {
  for (const [persistency, recovery] of [['synch', 'heal'], ['scope', 'heal'], ['eventual', 'fullcopy']] as const) {
    it(`${persistency} x ${recovery}, duplicates: ${RUNS / 4} walks`, () => {
      const cfg = config({ persistency, recovery, writes: 2, reads: 2, crashes: 2, scopes: hasScopeEnds(persistency) ? 1 : 0, duplicates: true });
      const model = healModel(cfg);
      fc.assert(
        fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 5, maxLength: 40 }), (choices) => {
          const v = walk(model, cfg, choices);
          if (v) throw new Error(`${v.property}: ${v.message}\n  ${v.actions.join('\n  ')}`);
        }),
        { seed: 20260214, numRuns: RUNS / 4 },
      );
    });
  }
});

describe('walks are deterministic', () => {
  it('the same choices give the same actions and the same encoded states, byte for byte', () => {
    const cfg = config({ persistency: 'scope', scopes: 1, crashes: 2, writes: 3, reads: 2 });
    const run = () => {
      const model = healModel(cfg);
      let s = model.initialStates()[0]!;
      const out: string[] = [];
      const rng = fc.sample(fc.nat({ max: 1000 }), { seed: 42, numRuns: 80 });
      for (const c of rng) {
        const acts = model.actions(s);
        if (acts.length === 0) break;
        const a = acts[c % acts.length]!;
        s = model.next(s, a);
        out.push(`${model.actionKey(a)} ${Buffer.from(model.encode(s)).toString('hex')}`);
      }
      return out;
    };
    const a = run();
    expect(a.length).toBeGreaterThan(20);
    expect(run()).toEqual(a);
  });
});
