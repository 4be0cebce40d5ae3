/**
 * Properties observe; they never borrow the protocol's bookkeeping (spec/properties.md
 * "Observations"). The table there and HealProperty.observes agree, and each mutant that
 * only an observing property can see is caught in a state where the protocol's own
 * record of the same thing says all is well.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import type { ClusterAction, ClusterState } from '../../src/cluster/index.ts';
import { MU } from '../../src/protocol/types.ts';
import { HEAL_PROPERTIES } from '../../spec/properties/index.ts';
import { REPLICA, VALID } from '../../src/protocol/types.ts';
import { config, healModel, statesAlong } from '../cluster/harness.ts';

async function violatingState(over: Parameters<typeof config>[0]): Promise<{ property: string; state: ClusterState }> {
  const model = healModel(config(over));
  const r = await explore(model, { strategy: 'bfs', seed: 1, workers: 1, symmetry: false, maxStates: 50_000 });
  expect(r.result).toBe('violation');
  const ce = r.counterexample!;
  let s = model.initialStates()[ce.initialIndex]!;
  for (const a of ce.actions) s = model.next(s, a as ClusterAction);
  return { property: ce.property, state: s };
}

describe('properties observe', () => {
  it('spec/properties.md lists for each property the observations HealProperty.observes names', () => {
    const text = readFileSync(new URL('../../spec/properties.md', import.meta.url), 'utf8');
    for (const p of HEAL_PROPERTIES) {
      const row = text.split('\n').find((l) => l.startsWith(`| \`${p.id}\` | `) && !/\| (state|quiescent|terminal) \|/.test(l));
      expect(row, p.id).toBeDefined();
      const listed = row!.split('|')[2]!.split(',').map((x) => x.trim().replace(/\*/g, ''));
      expect(listed, p.id).toEqual(p.observes);
    }
  });

  it('invw-drops-client: PROGRESS sees a client never answered while no node records a pending operation', async () => {
    const { property, state } = await violatingState({ nodes: 2, writes: 2, reads: 0, crashes: 0, mutant: 'invw-drops-client' });
    expect(property).toBe('PROGRESS');
    expect(state.nodes.every((n) => n.client === null)).toBe(true);
    expect(state.ghostAwaiting.some((op) => op !== 0)).toBe(true);
  });

  it('mu-stream-resend: MU-NONREDUNDANT counts the MU messages sent, two of one key in one stream', async () => {
    const { property, state } = await violatingState({ nodes: 3, writes: 1, reads: 0, crashes: 1, mutant: 'mu-stream-resend' });
    expect(property).toBe('MU-NONREDUNDANT');
    const mus = state.net.filter((m) => m.type === MU);
    expect(mus).toHaveLength(2);
    expect(mus[0]).toEqual(mus[1]);
  });

  it('scope-ts-first-write: SCOPE-DURABLE judges the write the client saw complete, newer than the one the scope end asked about', async () => {
    const { property, state } = await violatingState({ nodes: 2, writes: 2, reads: 0, crashes: 0, persistency: 'scope', scopes: 1, mutant: 'scope-ts-first-write' });
    expect(property).toBe('SCOPE-DURABLE');
    // The guarantee that failed is the latest write; every member holds the first one durably.
    const g = state.ghostDurable[0]!;
    const durable = state.nodes.map((n) => n.durable[g.key]!.ts);
    expect(Math.min(...durable)).toBeGreaterThan(0);
    expect(Math.min(...durable)).toBeLessThan(g.ts);
  });

  it('read-from-durable: AGREE judges what reads would answer, while the Valid key states of the replicas agree', async () => {
    const { property, state } = await violatingState({ nodes: 3, writes: 1, reads: 0, crashes: 0, persistency: 'strict', mutant: 'read-from-durable' });
    expect(property).toBe('AGREE');
    const valid = state.nodes.filter((n) => n.role === REPLICA && n.keys[0]!.status === VALID);
    expect(valid.length).toBeGreaterThan(1);
    expect(new Set(valid.map((n) => `${n.keys[0]!.ts}/${n.keys[0]!.value}`)).size).toBe(1);
    // What differs is what the replies would come from: a durable store that lags.
    expect(new Set(valid.map((n) => n.durable[0]!.ts)).size).toBe(2);
  });

  it('f15-renf-no-remark: CONVERGE sees a replica that would not answer, though every member holds the key Valid, durably and alike', async () => {
    const { property, state } = await violatingState({ nodes: 3, writes: 1, reads: 0, crashes: 1, persistency: 'renf', mutant: 'f15-renf-no-remark' });
    expect(property).toBe('CONVERGE');
    const members = state.nodes.filter((n) => n.role !== 0);
    for (const n of members) {
      const ks = n.keys[0]!;
      expect(ks.status).toBe(VALID);
      expect([n.durable[0]!.ts, n.durable[0]!.value]).toEqual([ks.ts, ks.value]);
      expect([ks.ts, ks.value]).toEqual([members[0]!.keys[0]!.ts, members[0]!.keys[0]!.value]);
    }
    expect(members.some((n) => !n.keys[0]!.dmark)).toBe(true);
  });

  it('the ts a read reply names is the ts of the value the reader holds (a read changes nothing), so recording it adds no state', () => {
    let reads = 0;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 999 }), { minLength: 5, maxLength: 40 }), (choices) => {
        for (const persistency of ['synch', 'renf'] as const) {
          for (const s of statesAlong(config({ persistency, writes: 2, reads: 3, crashes: 1 }), choices)) {
            if (s.ghostReadNode < 0) continue;
            reads++;
            expect(s.ghostReadTs).toBe(s.nodes[s.ghostReadNode]!.keys[s.ghostReadKey]!.ts);
          }
        }
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(reads).toBeGreaterThan(0);
  });
});
