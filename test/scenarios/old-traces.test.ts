/**
 * The counterexamples that found F10-F13 on the protocol of their time stay under traces/
 * as the record of each bug (traces/README.md). On today's protocol they stop early
 * ("action N is not enabled"): the fix changed what is enabled, so they no longer reach
 * the situation and guard nothing. What they still prove is checked here: switched to the
 * mutant that restores the old rule, each reproduces its violation to the last step, and
 * under no mutant of another finding does it (AGREE-801b7d4df219 needs either of the two
 * old F12 membership rules, H-FREEZE's or H-REFAIL's: each alone gives the Buddy a buffer). That is the evidence that the mutant is the
 * old rule, and so that the scenario under testdata/ that the same mutant fails is a
 * regression of that very bug.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../checker/trace/io.ts';
import { replay } from '../../checker/trace/replay.ts';
import { createHealModel } from '../../model/heal.ts';
import { findMutant, findingMutants } from '../../src/mutants.ts';

const dir = fileURLToPath(new URL('../../traces/', import.meta.url));

/** Every trace of a fixed bug of the real protocol, and the mutant that restores its old rule. */
const OLD_RULE: Record<string, string> = {
  'AGREE-d478695bcb5e.json': 'f10-pval-replicas-only',
  'READ-DURABLE-RENF-3ce1a3bda4de.json': 'f11-pack-void-off',
  'AGREE-856b4793b846.json': 'f12-buddy-first-replica',
  'AGREE-f46c51cdaf83.json': 'f12-freeze-creates-buffer',
  'AGREE-801b7d4df219.json': 'f12-refail-seeds-buffer',
  'PROGRESS-9eee7a5e6653.json': 'f13-mu-at-replica',
  // F14's old rule is a catch-table mutant (src/mutants.ts `mutants`), not a finding mutant.
  'SCOPE-DURABLE-4d982788bce7.json': 'scope-ack-unmatched',
};

const fixedBugTraces = readdirSync(dir).filter((f) => f.endsWith('.json') && loadTrace(join(dir, f)).mutant === null).sort();

describe('traces of fixed findings reproduce under the mutant of their old rule', () => {
  it('every trace of a fixed bug under traces/ names the mutant of its old rule here', () => {
    expect(fixedBugTraces).toEqual(Object.keys(OLD_RULE).sort());
  });

  for (const file of fixedBugTraces) {
    const mutant = OLD_RULE[file];
    it(`${file} reproduces under ${mutant}, under no other finding's mutant`, () => {
      const trace = loadTrace(join(dir, file));
      const m = findMutant(mutant);
      expect(m?.breaks).toBe(trace.property);
      const finding = findingMutants.find((x) => x.name === mutant)?.finding;
      const others = [mutant, ...findingMutants.filter((x) => x.finding !== finding).map((x) => x.name)];
      for (const other of [null, ...others]) {
        const model = createHealModel({ ...(trace.config as object), mutant: other });
        const outcome = replay(model, trace);
        if (other === mutant) {
          expect(outcome).toMatchObject({ kind: 'reproduced', property: trace.property, steps: trace.actions.length });
        } else {
          expect(outcome.kind, `${file} under ${other ?? 'the fixed protocol'}`).not.toBe('reproduced');
        }
      }
    });
  }
});
