/**
 * Every saved trace is a regression test (spec/trace-format.md): a mutant's trace must
 * still reproduce; a trace found on the real protocol documents a fixed bug and must
 * no longer reproduce, so the test fails the day that bug comes back.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../checker/load-model.ts';
import { loadTrace } from '../../checker/trace/io.ts';
import { replay, whyNotReproduced } from '../../checker/trace/replay.ts';
import { modelEntry } from '../../cli/models/index.ts';

const dir = fileURLToPath(new URL('../../traces/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('every trace under traces/', () => {
  it('traces/ holds the saved counterexamples (one per mutant at least)', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const trace = loadTrace(join(dir, file));
    const expectation = trace.mutant === null ? 'no longer reproduces (fixed bug)' : `reproduces (mutant ${trace.mutant})`;
    it(`${file}: ${expectation}`, async () => {
      const model = await loadModel(modelEntry(trace.model).refFor(trace.config));
      const outcome = replay(model, trace);
      if (trace.mutant === null) {
        expect(outcome.kind, `a fixed bug is back: ${trace.property} fails again`).not.toBe('reproduced');
      } else {
        expect(whyNotReproduced(outcome)).toBeNull();
        expect(outcome).toMatchObject({ kind: 'reproduced', property: trace.property, steps: trace.actions.length });
      }
    });
  }
});
