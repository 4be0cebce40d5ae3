/**
 * Swarm random walks (checker/explore/random.ts): per-walk weights over action kinds and
 * no stuttering steps. A toy model where the violation needs one rare kind of action
 * five times in a row, amid many actions that undo it or change nothing, shows the
 * difference from uniform walks; the choice function is deterministic per seed.
 */
import { describe, expect, it } from 'vitest';
import { explore, type ExploreOptions } from '../../checker/explore/index.ts';
import { seededRandom, swarmChooser } from '../../checker/explore/random.ts';
import type { Model } from '../../checker/model.ts';

type Action = { kind: 'step' } | { kind: 'reset'; i: number } | { kind: 'noop'; i: number };

/** c counts steps; any reset sets it back to 0; noops change nothing. c = 5 violates TOP. */
function ladder(): Model<number, Action> {
  const buffer = new Uint8Array(1);
  const actions: Action[] = [{ kind: 'step' }];
  for (let i = 0; i < 10; i++) actions.push({ kind: 'reset', i });
  for (let i = 0; i < 30; i++) actions.push({ kind: 'noop', i });
  return {
    name: 'ladder',
    initialStates: () => [0],
    actions: (c) => (c >= 5 ? [] : actions),
    next: (c, a) => (a.kind === 'step' ? c + 1 : a.kind === 'reset' ? 0 : c),
    encode: (c) => {
      buffer[0] = c;
      return buffer;
    },
    decode: (bytes) => bytes[0]!,
    properties: [{ id: 'TOP', scope: 'state', check: (c) => (c === 5 ? 'reached 5' : null) }],
    describeAction: (a) => JSON.stringify(a),
    actionKey: (a) => JSON.stringify(a),
    actionKind: (a) => a.kind,
  };
}

const base: ExploreOptions = { strategy: 'random', seed: 1, workers: 1, symmetry: false, walks: 200, maxDepth: 100 };

describe('swarm walks', () => {
  it('reach a state uniform walks miss, with no stuttering step in the counterexample', async () => {
    const uniform = await explore(ladder(), base);
    expect(uniform.result).toBe('incomplete');
    const swarm = await explore(ladder(), { ...base, swarm: true });
    expect(swarm.result).toBe('violation');
    const taken = swarm.counterexample!.actions as Action[];
    expect(taken.filter((a) => a.kind === 'noop')).toEqual([]);
    expect(taken.slice(-5)).toEqual(Array(5).fill({ kind: 'step' }));
  });

  it('the same seed gives the same walks', async () => {
    const a = await explore(ladder(), { ...base, swarm: true, seed: 9 });
    const b = await explore(ladder(), { ...base, swarm: true, seed: 9 });
    expect(b).toMatchObject({ result: a.result, distinctStates: a.distinctStates, generatedStates: a.generatedStates });
    expect(b.counterexample).toEqual(a.counterexample);
  });

  it('a walk whose every enabled action stutters ends without a terminal check', async () => {
    const still: Model<number, string> = {
      ...(ladder() as unknown as Model<number, string>),
      actions: () => ['noop'],
      next: (c) => c,
      properties: [{ id: 'TERMINAL', scope: 'terminal', check: () => 'no action enabled' }],
      actionKind: () => 'noop',
    };
    const r = await explore(still, { ...base, swarm: true, walks: 3 });
    expect(r).toMatchObject({ result: 'incomplete', distinctStates: 1, generatedStates: 6 });
  });
});

describe('swarmChooser', () => {
  const acts = ['a1', 'a2', 'b1', 'c1'];
  const kind = (x: string) => x[0]!;

  it('some walks leave kinds out, others keep every kind', () => {
    let leftOut = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const choose = swarmChooser(seededRandom(seed), kind);
      const picked = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const a = choose(acts);
        expect(acts).toContain(a);
        picked.add(kind(a));
      }
      if (picked.size < 3) leftOut++;
    }
    expect(leftOut).toBeGreaterThan(10);
    expect(leftOut).toBeLessThan(50);
  });

  it('the same seed gives the same choices', () => {
    const run = (seed: number) => {
      const choose = swarmChooser(seededRandom(seed), kind);
      return Array.from({ length: 50 }, () => choose(acts));
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });
});
