/**
 * Every saved trace is a regression test (spec/trace-format.md): a mutant's trace must
 * still reproduce; a trace found on the real protocol documents a fixed bug and must
 * no longer reproduce, so the test fails the day that bug comes back. traces/open/ holds
 * real-protocol bugs not fixed yet: they must still reproduce, so the day one is fixed
 * the test says to move it to traces/ (and to write the fix down in spec/).
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
const jsonIn = (d: string) => {
  try {
    return readdirSync(d).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
};
const files = jsonIn(dir);
const openDir = join(dir, 'open');
const openFiles = jsonIn(openDir);

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

// No open bug, no suite (vitest rejects an empty one).
describe.runIf(openFiles.length > 0)('every open bug under traces/open/', () => {
  for (const file of openFiles) {
    const trace = loadTrace(join(openDir, file));
    it(`${file}: still reproduces on the real protocol`, async () => {
      expect(trace.mutant, 'traces/open/ is for bugs of the real protocol').toBeNull();
      const model = await loadModel(modelEntry(trace.model).refFor(trace.config));
      const outcome = replay(model, trace);
      expect(
        whyNotReproduced(outcome),
        `fixed? move traces/open/${file} to traces/ (it then guards the fix) and write the fix down in spec/`,
      ).toBeNull();
    });
  }
});
