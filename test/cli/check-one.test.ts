/**
 * The violation path of `heal check` on a toy model (explorer + shrinker + save +
 * replay), in-process: the same code the CLI runs for every persistency x recovery run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrace } from '../../checker/trace/io.ts';
import { replay } from '../../checker/trace/replay.ts';
import { checkOne } from '../../cli/commands/check.ts';
import type { ExploreFlags } from '../../cli/flags.ts';
import type { RunPlan } from '../../cli/models/index.ts';
import { createToyModel, type ToyConfig } from '../trace/toy-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'heal-check-one-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(config: ToyConfig): RunPlan {
  return {
    model: 'toy',
    persistency: null,
    recovery: null,
    mutant: 'toy-bug',
    config,
    ref: { module: new URL('../trace/toy-model.ts', import.meta.url).href, factory: 'createToyModel', config },
  };
}

function flags(strategy: ExploreFlags['strategy'], out: string): ExploreFlags {
  return { strategy, seed: 7, workers: 1, symmetry: false, out, json: true, walks: 50, maxDepth: 30 };
}

describe('checkOne', () => {
  it('BFS: saves the shortest counterexample, unshrunk, and it replays', async () => {
    const config = { max: 4, limit: 3 };
    const out = join(dir, 'bfs');
    const report = await checkOne(plan(config), createToyModel(config), flags('bfs', out));
    expect(report).toMatchObject({ result: 'violation', property: 'A-SMALL', traceSteps: 3, mutant: 'toy-bug' });
    expect(readdirSync(out)).toEqual([report.trace!.slice(out.length + 1)]);
    const trace = loadTrace(report.trace!);
    expect(trace.foundBy).toEqual({ strategy: 'bfs', seed: null, shrunkFrom: null });
    expect(trace.steps).toEqual(['increment a', 'increment a', 'increment a']);
    expect(trace.config).toEqual(config);
    expect(replay(createToyModel(config), trace).kind).toBe('reproduced');
  });

  it('random: shrinks the walk before saving and records the seed and the original length', async () => {
    const config = { max: 6, limit: 4 };
    const out = join(dir, 'random');
    const report = await checkOne(plan(config), createToyModel(config), flags('random', out));
    expect(report.result).toBe('violation');
    const trace = loadTrace(report.trace!);
    expect(trace.foundBy.strategy).toBe('random');
    expect(trace.foundBy.seed).toBe(7);
    expect(trace.actions).toEqual(Array.from({ length: 4 }, () => ({ kind: 'inc', counter: 'a' })));
    expect(trace.foundBy.shrunkFrom).toBeGreaterThanOrEqual(4);
    expect(replay(createToyModel(config), trace).kind).toBe('reproduced');
  });

  it('reports ok and saves nothing when every property holds', async () => {
    const config = { max: 4, limit: 3, fixed: true };
    const out = join(dir, 'ok');
    const report = await checkOne(plan(config), createToyModel(config), flags('bfs', out));
    expect(report).toMatchObject({ result: 'ok', distinctStates: 25 });
    expect(report.trace).toBeUndefined();
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });
});
