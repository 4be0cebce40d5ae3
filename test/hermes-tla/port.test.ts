import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { Model } from '../../checker/model.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { createHermesTlaModel } from '../../model/hermes-tla.ts';
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

/**
 * TLC's figures on bench/tla/Hermes.tla (ease-lab/Hermes 949229c), H_NODES = {1..nodes},
 * INVARIANTS HTypeOK HConsistent, from
 *   java -cp tla2tools.jar tlc2.TLC -workers 1 -config bench/tla/Hermes_N<n>V<v>.cfg bench/tla/Hermes.tla
 * (TLC2 Version 2026.04.29). TLC's depth counts states, ours steps: TLC's 46 is our 45.
 * `reference` marks rows cheap enough for the naive interpreter too.
 */
const TLC = [
  { nodes: 2, maxVersion: 1, distinct: 31, generated: 101, tlcDepth: 10, reference: true },
  { nodes: 2, maxVersion: 2, distinct: 216, generated: 996, tlcDepth: 18, reference: true },
  { nodes: 2, maxVersion: 3, distinct: 1_236, generated: 7_533, tlcDepth: 26, reference: true },
  { nodes: 2, maxVersion: 4, distinct: 6_742, generated: 51_526, tlcDepth: 34, reference: false },
  { nodes: 2, maxVersion: 5, distinct: 36_348, generated: 335_017, tlcDepth: 42, reference: false },
  { nodes: 3, maxVersion: 0, distinct: 4, generated: 13, tlcDepth: 2, reference: true },
  { nodes: 3, maxVersion: 1, distinct: 14_835, generated: 61_947, tlcDepth: 28, reference: true },
  { nodes: 4, maxVersion: 0, distinct: 11, generated: 45, tlcDepth: 3, reference: true },
] as const;

describe('Hermes TLA+ port', () => {
  it.each(TLC)('gives TLC\'s counts on nodes=$nodes, maxVersion=$maxVersion', async (row) => {
    const r = await explore(createHermesTlaModel(row), bfs);
    expect(r.result).toBe('ok');
    expect([r.distinctStates, r.generatedStates, r.maxDepth + 1]).toEqual([row.distinct, row.generated, row.tlcDepth]);
  });

  it.each(TLC.filter((row) => row.reference))(
    'the independent naive interpreter gives TLC\'s counts too on nodes=$nodes, maxVersion=$maxVersion',
    (row) => {
      expect(refCounts(row.nodes, row.maxVersion)).toEqual({ distinct: row.distinct, generated: row.generated, tlcDepth: row.tlcDepth });
    },
  );

  // The headline row, run once, on two workers rebuilt from the registry's ModelRef:
  // about 1.5 s of search on an idle machine, and a space large enough that the shared
  // table grows under the workers, so the parallel search is held to TLC's counts too.
  it('gives TLC\'s 974,062 distinct and 4,802,844 generated states on nodes=3, maxVersion=2 (two workers)', async () => {
    const r = await explore(MODELS['hermes-tla'].refFor({ nodes: 3, maxVersion: 2 }), { ...bfs, workers: 2 });
    expect(r.result).toBe('ok');
    expect([r.distinctStates, r.generatedStates, r.maxDepth + 1]).toEqual([974_062, 4_802_844, 46]);
  }, 60_000);

  it('without the ACK reset of 949229c (the revision before) the counts are no longer TLC\'s', async () => {
    const layout = new HermesLayout({ nodes: 3, maxVersion: 1 });
    const honest = createHermesTlaModel({ nodes: 3, maxVersion: 1 });
    const before: Model<Uint8Array, HermesAction> = {
      ...honest,
      next: (s, a) => {
        const t = applyAction(layout, s, a);
        if (a.kind === 'nodeFailure') for (let n = 0; n < 3; n++) t[4 + n * 8 + 3] = s[4 + n * 8 + 3];
        return t;
      },
    };
    const r = await explore(before, bfs);
    expect(r.result).toBe('ok');
    expect(r.distinctStates).not.toBe(14_835);
    expect(r.generatedStates).not.toBe(61_947);
  });

  it('HRead is a stuttering step: generated, never distinct', () => {
    const layout = new HermesLayout({ nodes: 3, maxVersion: 2 });
    const s = initialState(layout);
    const read = enabledActions(layout, s).find((a) => a.kind === 'HRead')!;
    expect(Array.from(applyAction(layout, s, read))).toEqual(Array.from(s));
  });

  it('nodeFailure keeps at least two nodes alive, bumps the epoch and clears every node\'s acks', () => {
    const layout = new HermesLayout({ nodes: 3, maxVersion: 1 });
    let s = initialState(layout);
    s[4 + 3] = 0b110; // node 1 holds acks from 2 and 3
    s[4 + 16 + 3] = 0b001; // node 3 holds an ack from 1
    s = applyAction(layout, s, { kind: 'nodeFailure', node: 2 });
    expect(s[1]).toBe(1);
    expect([s[4 + 3], s[4 + 8 + 3], s[4 + 16 + 3]]).toEqual([0, 0, 0]);
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
    const display = model.display!(t) as { nodeState: Record<number, string>; msgs: unknown[] };
    expect(display.nodeState[2]).toBe('write');
    expect(display.msgs).toEqual([{ type: 'INV', sender: 2, epochID: 0, version: 1, tieBreaker: 2 }]);
  });
});
