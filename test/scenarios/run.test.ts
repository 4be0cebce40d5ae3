/**
 * Regression scenarios of findings F1-F13 and F15 (spec/properties.md): each testdata file drives
 * the fixed protocol into the situation of its bug and checks the properties there, and
 * runs the same steps with the mutant that restores the old rule, where the finding's
 * property must break. Expected outputs are compared line by line; REWRITE=1 writes the
 * actual outputs back instead (read every changed block before committing it).
 *
 * Beyond the text, the verdicts are asserted structurally, so a rewrite cannot turn a
 * regression into a test of nothing: the fixed protocol passes every check, and at some
 * check the mutant violates exactly the property its declaration names.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingMutants, findMutant } from '../../src/mutants.ts';
import { parse, rewrite } from './datadriven.ts';
import { Scenario } from './driver.ts';

const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const rewriting = process.env['REWRITE'] === '1';

describe('finding regression scenarios (test/scenarios/testdata)', () => {
  it('every finding mutant has a scenario named after its finding', () => {
    for (const m of findingMutants) {
      const n = Number(m.finding.slice(1));
      const own = files.filter((f) => f.startsWith(`F${String(n).padStart(2, '0')}-`));
      const uses = own.filter((f) => new RegExp(`^config .*mutant=${m.name}(\\s|$)`, 'm').test(readFileSync(join(dir, f), 'utf8')));
      expect(uses, `no scenario for ${m.finding} uses ${m.name}`).not.toEqual([]);
    }
    // F14's old rule is the catch-table mutant scope-ack-unmatched.
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15]) expect(findingMutants.some((m) => m.finding === `F${n}`), `F${n} has no mutant`).toBe(true);
  });

  for (const file of files) {
    it(file, () => {
      const path = join(dir, file);
      const cases = parse(readFileSync(path, 'utf8'), `testdata/${file}`);
      const scenario = new Scenario(`testdata/${file}`);
      const actual: string[] = [];
      for (const c of cases) {
        const out = scenario.run(c.command, c.line);
        actual.push(out);
        if (!rewriting) expect(out, `testdata/${file}:${c.line}: ${c.command}`).toBe(c.expected);
      }
      if (rewriting) writeFileSync(path, rewrite(cases, actual));

      const breaks = findMutant(scenario.mutant!)!.breaks;
      expect(scenario.checks.length, 'a scenario must check something').toBeGreaterThan(0);
      for (const ch of scenario.checks) {
        expect(ch.fixed ?? [], `testdata/${file}:${ch.line}: the fixed protocol fails a check`).toEqual([]);
      }
      const caught = scenario.checks.filter((ch) => ch.mutant?.includes(breaks));
      expect(caught.length, `no check sees ${scenario.mutant} break ${breaks}`).toBeGreaterThan(0);
      // The mutant's damage is shown side by side with the fixed protocol in the same state.
      expect(caught.some((ch) => ch.fixed !== null), 'the check that catches the mutant must also run the fixed protocol').toBe(true);
    });
  }
});
