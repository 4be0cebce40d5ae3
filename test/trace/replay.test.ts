import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffDisplays } from '../../checker/trace/diff.ts';
import { renderOutcome, renderStep } from '../../checker/trace/render.ts';
import { checkConformance, replay, Replayer, whyNotReproduced } from '../../checker/trace/replay.ts';
import { shrink, violatingPrefix } from '../../checker/trace/shrink.ts';
import { createToyModel, type ToyAction } from './toy-model.ts';

const incA: ToyAction = { kind: 'inc', counter: 'a' };
const incB: ToyAction = { kind: 'inc', counter: 'b' };
const reset: ToyAction = { kind: 'reset' };
const model = createToyModel({ max: 4, limit: 3 });

describe('replay', () => {
  it('reproduces a violating trace and reports each step with what changed', () => {
    const steps: string[] = [];
    const outcome = replay(model, { initialIndex: 0, actions: [incA, incB, incA, incA], property: 'A-SMALL' }, (s) =>
      steps.push(renderStep(s.index + 1, s.description, s.changes)),
    );
    expect(outcome).toEqual({ kind: 'reproduced', property: 'A-SMALL', message: 'a reached 3 (limit 3)', steps: 4 });
    // One line per entity touched: the display's plain fields together, each list on its own.
    expect(steps[0]).toBe('step 1: increment a\n    counters a 0 -> 1\n    log: + a');
    expect(steps[1]).toBe('step 2: increment b\n    counters b 0 -> 1\n    log: + b');
    expect(renderOutcome(outcome)).toBe('violated: A-SMALL: a reached 3 (limit 3)\nreproduced as recorded (4 steps)');
  });

  it('executes the enabled instance matched by actionKey, not the recorded object', () => {
    const replayer = new Replayer(model);
    const result = replayer.step({ kind: 'inc', counter: 'a', extra: 'ignored' });
    expect(result.ok && result.action).toEqual(incA);
    expect(replayer.state.a).toBe(1);
  });

  it('reports the first action that is not enabled, 1-based, and stops there', () => {
    const outcome = replay(model, { initialIndex: 0, actions: [incA, reset, incA], property: 'A-SMALL' });
    expect(outcome).toMatchObject({ kind: 'not-enabled', step: 2, steps: 1, action: reset });
    expect(whyNotReproduced(outcome)).toBe('action 2 is not enabled in the state reached');
  });

  it('rejects data that is not an action of the model without throwing', () => {
    const outcome = replay(model, { initialIndex: 0, actions: [{ kind: 'inc', counter: 'z' }], property: 'A-SMALL' });
    expect(outcome.kind).toBe('not-enabled');
    expect(whyNotReproduced(outcome)).toMatch(/^action 1 is not an action of model toy/);
  });

  it('says the trace no longer reproduces once the protocol is fixed', () => {
    const fixed = createToyModel({ max: 4, limit: 3, fixed: true });
    const outcome = replay(fixed, { initialIndex: 0, actions: [incA, incA, incA], property: 'A-SMALL' });
    expect(outcome.kind).toBe('property-holds');
    expect(renderOutcome(outcome)).toBe('no longer reproduces: property A-SMALL holds at the end');
  });

  it('judges a quiescent property only on a quiescent final state, and says so', () => {
    const settled = { initialIndex: 0, property: 'SETTLED' };
    expect(replay(model, { ...settled, actions: [incA, incA, incA, incA] }).kind).toBe('reproduced');
    const early = replay(model, { ...settled, actions: [incA] });
    expect(whyNotReproduced(early)).toBe('property SETTLED holds at the end (the final state is not quiescent)');
  });

  it('reports a property the model no longer defines', () => {
    const outcome = replay(model, { initialIndex: 0, actions: [], property: 'GONE' });
    expect(whyNotReproduced(outcome)).toBe('the model no longer defines property GONE');
  });
});

describe('conformance of an external run', () => {
  it('accepts a run that stays within the model and its properties', () => {
    const safe = createToyModel({ max: 4, limit: 10 });
    expect(checkConformance(safe, [incB, incA, reset, incB])).toEqual({ ok: true, steps: 4 });
  });
  it('reports the first step the model does not enable', () => {
    expect(checkConformance(model, [incB, reset, reset, incA])).toMatchObject({ ok: false, kind: 'not-enabled', step: 3 });
  });
  it('reports the first state that violates a property, with every property it violates', () => {
    const result = checkConformance(model, [incA, incA, incB, incA, incA]);
    expect(result).toEqual({
      ok: false,
      kind: 'violation',
      step: 4,
      violations: [{ property: 'A-SMALL', message: 'a reached 3 (limit 3)' }],
    });
  });
  it('takes any iterable, so a recorded run can be streamed in', () => {
    function* run() {
      yield incA;
      yield incA;
    }
    expect(checkConformance(createToyModel({ max: 4, limit: 10 }), run())).toEqual({ ok: true, steps: 2 });
  });
});

describe('structural diff of displays', () => {
  it('shows a sorted multiset of messages as removed and added items, not shifted positions', () => {
    const before = { messages: [{ t: 'ACK', to: 0 }, { t: 'INV', to: 1 }, { t: 'INV', to: 2 }] };
    const after = { messages: [{ t: 'ACK', to: 0 }, { t: 'ACK', to: 1 }, { t: 'INV', to: 2 }] };
    expect(diffDisplays(before, after)).toEqual([
      { kind: 'removed', path: 'messages[]', before: { t: 'INV', to: 1 } },
      { kind: 'added', path: 'messages[]', after: { t: 'ACK', to: 1 } },
    ]);
    const shifted = { messages: [{ t: 'ACK', to: 0 }, { t: 'INV', to: 2 }] };
    expect(diffDisplays(before, shifted)).toEqual([{ kind: 'removed', path: 'messages[]', before: { t: 'INV', to: 1 } }]);
  });
  it('diffs an indexed array of nodes field by field', () => {
    const node = { role: 'replica', epoch: 1, state: 'Valid', ts: [1, 0], value: 1 };
    const before = { nodes: [node, node, node] };
    const after = { nodes: [node, { ...node, state: 'Invalid', ts: [2, 0] }, node] };
    expect(diffDisplays(before, after)).toEqual([
      { kind: 'changed', path: 'nodes[1].state', before: 'Valid', after: 'Invalid' },
      { kind: 'changed', path: 'nodes[1].ts[0]', before: 1, after: 2 },
    ]);
  });
  it('reads a removed and an added record with the same first field as one entity that changed', () => {
    const before = { keys: [{ key: 'k0', ts: '0.0', state: 'Valid' }], pending: [{ key: 'k0', ts: '1.0' }] };
    const after = { keys: [{ key: 'k0', ts: '1.0', state: 'Write', acks: [] }], pending: [] };
    expect(diffDisplays(before, after)).toEqual([
      { kind: 'changed', path: 'keys[0].ts', before: '0.0', after: '1.0' },
      { kind: 'changed', path: 'keys[0].state', before: 'Valid', after: 'Write' },
      { kind: 'added', path: 'keys[0].acks', after: [] },
      { kind: 'removed', path: 'pending[]', before: { key: 'k0', ts: '1.0' } },
    ]);
  });

  it('shows added and removed keys, and nothing for equal displays', () => {
    expect(diffDisplays({ mu: { '2': { k0: 1 } } }, { mu: {} })).toEqual([{ kind: 'removed', path: 'mu["2"]', before: { k0: 1 } }]);
    expect(diffDisplays({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});

describe('shrinking', () => {
  it('cuts a noisy counterexample down to the three increments of a', () => {
    const noisy = [incB, incA, incB, reset, incA, incB, incB, reset, incA];
    const result = shrink(model, { initialIndex: 0, actions: noisy, property: 'A-SMALL' });
    expect(result.actions).toEqual([incA, incA, incA]);
    expect(result.message).toBe('a reached 3 (limit 3)');
  });

  it('refuses a list that does not violate the property', () => {
    expect(() => shrink(model, { initialIndex: 0, actions: [incA], property: 'A-SMALL' })).toThrow(/nothing to shrink/);
  });

  it('always returns a shorter-or-equal list that still violates, and is 1-minimal', () => {
    const action = fc.constantFrom<ToyAction>(incA, incB, reset);
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (candidate) => {
        const input = { initialIndex: 0, actions: candidate, property: 'SETTLED' };
        const original = violatingPrefix(model, input);
        fc.pre(original !== null);
        const result = shrink(model, input);
        expect(result.actions.length).toBeLessThanOrEqual(original!.actions.length);
        expect(violatingPrefix(model, { ...input, actions: result.actions })).not.toBeNull();
        for (let i = 0; i < result.actions.length; i++) {
          const without = [...result.actions.slice(0, i), ...result.actions.slice(i + 1)];
          expect(violatingPrefix(model, { ...input, actions: without })).toBeNull();
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
