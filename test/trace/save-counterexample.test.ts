import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveCounterexample, type TraceOrigin } from '../../checker/trace/counterexample.ts';
import { loadTrace } from '../../checker/trace/io.ts';
import { createToyModel, type ToyAction } from './toy-model.ts';

const model = createToyModel({ max: 4, limit: 3 });
const incA: ToyAction = { kind: 'inc', counter: 'a' };
const incB: ToyAction = { kind: 'inc', counter: 'b' };
const reset: ToyAction = { kind: 'reset' };
const noisy = [incB, incA, incB, reset, incA, incB, incA];
const dir = mkdtempSync(join(tmpdir(), 'heal-save-cx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const origin = (strategy: TraceOrigin['strategy']): TraceOrigin => ({
  model: 'toy', config: { max: 4, limit: 3 }, mutant: null, strategy, seed: strategy === 'random' ? 7 : null,
});
const cx = { property: 'A-SMALL', message: 'a reached 3 (limit 3)', initialIndex: 0, actions: noisy };

describe('saveCounterexample', () => {
  it('shrinks a random walk counterexample, saves it and the file loads back as the shrunk trace', () => {
    const saved = saveCounterexample(model, cx, origin('random'), join(dir, 'random'));
    expect(saved.trace.actions).toEqual([incA, incA, incA]);
    expect(saved.trace.foundBy).toEqual({ strategy: 'random', seed: 7, shrunkFrom: noisy.length });
    const loaded = loadTrace(saved.path!);
    expect(loaded.actions).toEqual([incA, incA, incA]);
    expect(loaded.steps).toEqual(['increment a', 'increment a', 'increment a']);
  });

  it('keeps a breadth-first counterexample as found (it is already a shortest one)', () => {
    const saved = saveCounterexample(model, cx, origin('bfs'), join(dir, 'bfs'));
    expect(saved.trace.actions).toEqual(noisy);
    expect(saved.trace.foundBy.shrunkFrom).toBeNull();
  });

  it('throws, saving nothing, when the counterexample does not replay', () => {
    const out = join(dir, 'not-replayed');
    expect(() => saveCounterexample(model, { ...cx, actions: [incA] }, origin('bfs'), out)).toThrow(/does not replay: property A-SMALL holds/);
  });

  it('hands the trace back with the reason when the directory cannot be written', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const saved = saveCounterexample(model, cx, origin('dfs'), join(blocker, 'traces'));
    expect(saved.path).toBeNull();
    expect(saved.saveError).toMatch(/ENOTDIR|EEXIST/);
    expect(saved.trace.actions).toEqual([incA, incA, incA]);
  });
});
