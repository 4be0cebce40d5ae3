import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { Model } from '../../checker/model.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { createHermesTlaModel } from '../../cli/models/hermes-tla.ts';
import { MODELS } from '../../cli/models/index.ts';
import {
  HermesLayout,
  applyAction,
  consistencyViolation,
  enabledActions,
  initialState,
  typeOkViolation,
  type HermesAction,
} from '../../src/hermes-tla/index.ts';
import { refCounts } from './reference-interpreter.ts';

const bfs: ExploreOptions = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false };

describe('Hermes TLA+ port', () => {
  it.each([
    [2, 2],
    [3, 0],
    [3, 1],
    [4, 0],
  ])('agrees with an independent naive interpreter of the spec on nodes=%i, maxVersion=%i', async (nodes, maxVersion) => {
    const reference = refCounts(nodes, maxVersion);
    const r = await explore(createHermesTlaModel({ nodes, maxVersion }), bfs);
    expect(r.result).toBe('ok');
    expect(r.distinctStates).toBe(reference.distinct);
    expect(r.generatedStates).toBe(reference.generated);
    expect(r.maxDepth + 1).toBe(reference.tlcDepth);
  });

  it('gives the same counts with two workers (rebuilt from the registry ModelRef)', async () => {
    const ref = MODELS['hermes-tla'].refFor({ nodes: 3, maxVersion: 1 });
    const one = await explore(ref, bfs);
    const two = await explore(ref, { ...bfs, workers: 2 });
    expect(two.distinctStates).toBe(one.distinctStates);
    expect(two.generatedStates).toBe(one.generatedStates);
    expect(two.maxDepth).toBe(one.maxDepth);
  });

  it('HRead is a stuttering step: generated, never distinct', () => {
    const layout = new HermesLayout({ nodes: 3, maxVersion: 2 });
    const s = initialState(layout);
    const read = enabledActions(layout, s).find((a) => a.kind === 'HRead')!;
    expect(Array.from(applyAction(layout, s, read))).toEqual(Array.from(s));
  });

  it('nodeFailure keeps at least two nodes alive and bumps the epoch', () => {
    const layout = new HermesLayout({ nodes: 3, maxVersion: 1 });
    let s = initialState(layout);
    s = applyAction(layout, s, { kind: 'nodeFailure', node: 2 });
    expect(s[1]).toBe(1);
    expect(enabledActions(layout, s).some((a) => a.kind === 'nodeFailure')).toBe(false);
  });

  it('HTypeOK and HConsistent reject states that break them', () => {
    const layout = new HermesLayout({ nodes: 3, maxVersion: 2 });
    const s = initialState(layout);
    expect(typeOkViolation(layout, s)).toBeNull();
    expect(consistencyViolation(layout, s)).toBeNull();
    const badAcks = s.slice();
    badAcks[4 + 3] = 0b001; // node 1 acked by itself
    expect(typeOkViolation(layout, badAcks)).toMatch(/nodeRcvedAcks\[1\]/);
    const badVersion = s.slice();
    badVersion[4 + 8] = 3; // nodeTS[2].version beyond H_MAX_VERSION
    expect(typeOkViolation(layout, badVersion)).toMatch(/nodeTS\[2\]/);
    const split = s.slice();
    split[4 + 16] = 1; // node 3 valid at version 1 while 1 and 2 are valid at version 0
    expect(consistencyViolation(layout, split)).toMatch(/nodes 1 and 3 disagree/);
  });

  it('finds a shortest HConsistent violation in a broken variant (VAL sent without waiting for ACKs)', async () => {
    const honest = createHermesTlaModel({ nodes: 3, maxVersion: 1 });
    const layout = new HermesLayout({ nodes: 3, maxVersion: 1 });
    const broken: Model<Uint8Array, HermesAction> = {
      ...honest,
      actions: (s) => {
        const extra: HermesAction[] = [];
        for (let n = 0; n < 3; n++) {
          if (s[4 + n * 8 + 2] === 3 /* write */) extra.push({ kind: 'HSendVals', node: n + 1 });
        }
        return [...enabledActions(layout, s), ...extra];
      },
    };
    const r = await explore(broken, bfs);
    expect(r.result).toBe('violation');
    const cx = r.counterexample!;
    expect(cx.property).toBe('HConsistent');
    // HWrite then the premature HSendVals: node valid at version 1, the others valid at 0.
    expect(cx.actions.map((a) => (a as HermesAction).kind)).toEqual(['HWrite', 'HSendVals']);
  });

  it('encodes losslessly and rejects an encoding of the wrong size', () => {
    const model = createHermesTlaModel({ nodes: 3, maxVersion: 2 });
    const s = model.initialStates()[0];
    const t = model.next(s, model.actions(s).find((a) => a.kind === 'HWrite')!);
    expect(Array.from(model.decode(model.encode(t).slice()))).toEqual(Array.from(t));
    expect(() => model.decode(new Uint8Array(3))).toThrow(/bytes/);
    expect(() => createHermesTlaModel({ nodes: 0, maxVersion: 2 })).toThrow(/nodes/);
  });

  it('renders states and actions in the spec vocabulary', () => {
    const model = createHermesTlaModel({ nodes: 3, maxVersion: 2 });
    const s = model.initialStates()[0];
    const write = model.actions(s).find((a) => a.kind === 'HWrite' && a.node === 2)!;
    const t = model.next(s, write);
    expect(model.describeAction(write)).toBe('HWrite(2)');
    const view = model.view!(t) as { nodeState: Record<number, string>; msgs: unknown[] };
    expect(view.nodeState[2]).toBe('write');
    expect(view.msgs).toEqual([{ type: 'INV', sender: 2, epochID: 0, version: 1, tieBreaker: 2 }]);
  });
});
