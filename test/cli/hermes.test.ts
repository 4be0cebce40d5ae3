import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../checker/load-model.ts';
import { saveTrace } from '../../checker/trace/io.ts';
import { modelEntry } from '../../cli/models/index.ts';
import { heal, lastJson } from './run-heal.ts';

const dir = mkdtempSync(join(tmpdir(), 'heal-cli-hermes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('heal check --model hermes-tla', () => {
  it('--json: the last line is the result object with one run and every figure', async () => {
    const out = join(dir, 'traces');
    const run = await heal(['check', '--model', 'hermes-tla', '--nodes', '2', '--max-version', '1', '--json', '--out', out]);
    expect(run.code).toBe(0);
    const json = lastJson(run) as { result: string; runs: Array<Record<string, unknown>> };
    expect(json.result).toBe('ok');
    expect(json.runs).toHaveLength(1);
    const [r] = json.runs;
    expect(r).toMatchObject({ model: 'hermes-tla', persistency: null, recovery: null, mutant: null, result: 'ok' });
    for (const field of ['distinctStates', 'generatedStates', 'maxDepth', 'seconds', 'statesPerSecond', 'bytesPerState']) {
      expect(typeof r[field], field).toBe('number');
    }
    // TLC on bench/tla/Hermes.tla, H_NODES = {1, 2}, H_MAX_VERSION = 1: 31 distinct, 101 generated, depth 10.
    expect([r.distinctStates, r.generatedStates, r.maxDepth]).toEqual([31, 101, 9]);
    expect(r).not.toHaveProperty('trace');
    expect(existsSync(out)).toBe(false);
  });

  it('reports a bound reached as incomplete, exit 3', async () => {
    const run = await heal(['check', '--model', 'hermes-tla', '--nodes', '3', '--max-version', '1', '--max-states', '50', '--json']);
    expect(run.code).toBe(3);
    const json = lastJson(run) as { result: string; runs: Array<Record<string, unknown>> };
    expect(json.result).toBe('incomplete');
    expect(json.runs[0]).toMatchObject({ result: 'incomplete', incompleteReason: 'max-states' });
  });

  it('prints a readable table without --json', async () => {
    const run = await heal(['check', '--model', 'hermes-tla', '--nodes', '2', '--max-version', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^model\s+result\s+distinct\s+generated\s+depth/m);
    expect(run.stdout).toMatch(/^hermes-tla\s+ok\s+\d+/m);
    expect(run.stdout).toContain('all properties hold');
  });
});

describe('heal replay of a trace that does not (or no longer) reproduce', () => {
  const config = { nodes: 3, maxVersion: 1 };
  async function walk(length: number): Promise<unknown[]> {
    const model = await loadModel(modelEntry('hermes-tla').refFor(config));
    let state = model.initialStates()[0];
    const actions: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const enabled = model.actions(state);
      const action = enabled[i % enabled.length];
      actions.push(action);
      state = model.next(state, action);
    }
    return actions;
  }
  async function save(name: string, actions: unknown[]): Promise<string> {
    const model = await loadModel(modelEntry('hermes-tla').refFor(config));
    const sub = join(dir, name);
    return saveTrace(sub, {
      model: 'hermes-tla',
      config,
      mutant: null,
      property: 'HConsistent',
      message: 'claimed',
      foundBy: { strategy: 'bfs', seed: null, shrunkFrom: null },
      initialIndex: 0,
      actions,
      steps: actions.map((a) => model.describeAction(a)),
    });
  }

  it('exit 1 "property holds at the end" when every step is enabled but the property holds', async () => {
    const path = await save('holds', await walk(6));
    const text = await heal(['replay', path]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^step 1: /m);
    expect(text.stdout).toMatch(/^step 6: /m);
    expect(text.stdout).toMatch(/^\s{4}\S.*(->|\+|-) /m);
    expect(text.stdout.trim().split('\n').at(-1)).toBe('no longer reproduces: property HConsistent holds at the end');
    const json = await heal(['replay', path, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      reproduced: false,
      property: 'HConsistent',
      recordedSteps: 6,
      steps: 6,
      mutant: null,
      reason: 'property HConsistent holds at the end',
    });
  });

  it('exit 1 "action k is not enabled" when the recorded run leaves the model', async () => {
    const actions = await walk(3);
    const path = await save('diverges', [...actions, ...actions.slice(0, 1), ...actions.slice(0, 1)]);
    const run = await heal(['replay', path, '--json']);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { reproduced: boolean; reason: string; steps: number };
    expect(json.reproduced).toBe(false);
    expect(json.reason).toMatch(/^action (4|5) is not enabled in the state reached$/);
    expect(readdirSync(join(dir, 'diverges'))).toHaveLength(1);
  });
});
