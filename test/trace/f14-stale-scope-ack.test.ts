/**
 * Finding F14 (spec/properties.md): a SCOPE_ACK of an earlier scope end ended a later one
 * while its write was not durable at the sender. The regression drives the fixed protocol
 * into that very situation — the stale SCOPE_ACK is delivered during the second scope end —
 * and checks that it is ignored: the scope end does not return, SCOPE-DURABLE holds, and
 * once the real answers come the scope end does return. The same actions under mutant
 * scope-ack-unmatched (the old handler) break SCOPE-DURABLE, so the situation is the one
 * that failed. Two ways in: a re-delivered SCOPE_ACK (the saved BFS trace, duplicate
 * delivery) and one left in flight by a node that crashed, came back and was promoted
 * (scripted).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../checker/trace/io.ts';
import { replay, whyNotReproduced } from '../../checker/trace/replay.ts';
import { createHealModel } from '../../model/heal.ts';
import { SCOPE_ACK } from '../../src/protocol/types.ts';
import type { ClusterAction, ClusterConfig, ClusterState } from '../../src/cluster/index.ts';

const TRACE = fileURLToPath(new URL('../../traces/SCOPE-DURABLE-4d982788bce7.json', import.meta.url));

/** A scope end pending at the node a SCOPE_ACK reaches, and the ack names another ts than that scope end's. */
function isStaleScopeAck(s: ClusterState, a: ClusterAction): boolean {
  if (a.kind !== 'deliver' || a.msg.type !== SCOPE_ACK) return false;
  const to = s.nodes[a.msg.to]!;
  return to.client !== null && to.client.kind === 1 && to.scopeTs[a.msg.key] !== a.msg.ts;
}

function scopeDurable(model: ReturnType<typeof createHealModel>, s: ClusterState): string | null {
  return model.properties.find((p) => p.id === 'SCOPE-DURABLE')!.check(s);
}

interface Driven {
  readonly state: ClusterState;
  readonly staleDeliveries: number;
}

/**
 * Runs the actions (matched by key against the enabled ones, as replay does) and checks,
 * at every stale SCOPE_ACK, that the receiver's scope end goes on waiting.
 */
function drive(cfg: ClusterConfig, actions: readonly unknown[]): Driven {
  const model = createHealModel(cfg);
  let s = model.initialStates()[0]!;
  let staleDeliveries = 0;
  actions.forEach((recorded, i) => {
    const key = model.actionKey(recorded as ClusterAction);
    const a = model.actions(s).find((x) => model.actionKey(x) === key);
    expect(a, `action ${i + 1} (${model.describeAction(recorded as ClusterAction)}) is enabled`).toBeDefined();
    const stale = isStaleScopeAck(s, a!);
    const before = s;
    s = model.next(s, a!);
    if (stale) {
      staleDeliveries++;
      const to = a!.kind === 'deliver' ? a!.msg.to : -1;
      expect(s.nodes[to]!.client, `step ${i + 1}: the stale SCOPE_ACK is ignored`).toEqual(before.nodes[to]!.client);
    }
    expect(scopeDurable(model, s), `step ${i + 1}`).toBeNull();
  });
  return { state: s, staleDeliveries };
}

/** Delivers and persists (first enabled step that changes the state) until no scope end is pending; SCOPE-DURABLE at every step. */
function finishScopeEnds(cfg: ClusterConfig, from: ClusterState): ClusterState {
  const model = createHealModel(cfg);
  let s = from;
  for (let guard = 0; guard < 200 && s.nodes.some((n) => n.client?.kind === 1); guard++) {
    const here = Buffer.from(model.encode(s));
    const a = model.actions(s).find((x) => x.kind !== 'crash' && x.kind !== 'write' && x.kind !== 'scope-end' &&
      !here.equals(Buffer.from(model.encode(model.next(s, x)))));
    expect(a, 'some step is left').toBeDefined();
    s = model.next(s, a!);
    expect(scopeDurable(model, s)).toBeNull();
  }
  return s;
}

function describeScenario(name: string, cfg: ClusterConfig, actions: () => readonly unknown[]) {
  describe(name, () => {
    it('fixed protocol: the stale SCOPE_ACK is delivered during the second scope end and ignored', () => {
      const { state, staleDeliveries } = drive(cfg, actions());
      expect(staleDeliveries).toBeGreaterThan(0);
      // The second scope end is still pending, waiting for a member that lacks its write durably.
      expect(state.nodes[0]!.client).toMatchObject({ kind: 1 });
      expect(state.scopesLeft).toBe(0);
      // And it returns once the real answers come.
      const done = finishScopeEnds(cfg, state);
      expect(done.nodes[0]!.client).toBeNull();
    });

    it('mutant scope-ack-unmatched: the same actions break SCOPE-DURABLE', () => {
      const mutantCfg = { ...cfg, mutant: 'scope-ack-unmatched' };
      const outcome = replay(createHealModel(mutantCfg), { property: 'SCOPE-DURABLE', initialIndex: 0, actions: actions() });
      expect(whyNotReproduced(outcome)).toBeNull();
    });
  });
}

const trace = loadTrace(TRACE);
describeScenario('F14 by re-delivery (traces/SCOPE-DURABLE-4d982788bce7.json, BFS, 22 steps)', trace.config as unknown as ClusterConfig, () => trace.actions);

// The crash variant, scripted: n1 answers the first scope end and crashes with its
// SCOPE_ACK in flight; the scope end returns without it; n1 comes back, is promoted, and
// the old SCOPE_ACK reaches n0 during the second scope end, before n1 has persisted ts 2.0.
const CRASH: ClusterConfig = {
  nodes: 3, keys: 1, persistency: 'scope', recovery: 'heal', writes: 2, reads: 0, scopes: 2, crashes: 1, duplicates: false, mutant: null,
};
const CRASH_STEPS = [
  'client writes k0 at n0',
  'n1 delivers INV(k0, ts 1.0, v1, e0) from n0',
  'n2 delivers INV(k0, ts 1.0, v1, e0) from n0',
  'n0 delivers ACK(k0, ts 1.0, e0) from n1',
  'n0 delivers ACK(k0, ts 1.0, e0) from n2',
  'n2 delivers VAL(k0, ts 1.0) from n0',
  'client ends its scope at n0',
  'n1 completes the persist of k0 ts 1.0',
  'n1 delivers PERSIST_SCOPE(k0, ts 1.0) from n0',
  'n1 crashes (membership removes it)',
  'n2 delivers PERSIST_SCOPE(k0, ts 1.0) from n0',
  'n2 completes the persist of k0 ts 1.0',
  'n0 delivers SCOPE_ACK(k0, ts 1.0) from n2',
  'n0 completes the persist of k0 ts 1.0',
  'n1 restarts and is admitted as a shadow',
  'n1 delivers MU(k0, ts 1.0, v1, valid) from n2',
  'n1 is promoted to replica',
  'client writes k0 at n0',
  'n1 delivers INV(k0, ts 2.0, v2, e3) from n0',
  'n2 delivers INV(k0, ts 2.0, v2, e3) from n0',
  'n0 delivers ACK(k0, ts 2.0, e3) from n1',
  'n0 delivers ACK(k0, ts 2.0, e3) from n2',
  'client ends its scope at n0',
  'n0 delivers SCOPE_ACK(k0, ts 1.0) from n1',
  'n2 delivers PERSIST_SCOPE(k0, ts 2.0) from n0',
  'n2 completes the persist of k0 ts 2.0',
  'n0 delivers SCOPE_ACK(k0, ts 2.0) from n2',
  'n0 completes the persist of k0 ts 2.0',
];

/** The scripted steps as action data, found by description on the fixed protocol. */
function crashActions(): ClusterAction[] {
  const model = createHealModel(CRASH);
  let s = model.initialStates()[0]!;
  return CRASH_STEPS.map((step) => {
    const a = model.actions(s).find((x) => model.describeAction(x) === step);
    expect(a, step).toBeDefined();
    s = model.next(s, a!);
    return a!;
  });
}
describeScenario('F14 by a crashed sender (scripted, 28 steps)', CRASH, crashActions);

it('the saved trace is the real protocol\'s, found by BFS before the fix', () => {
  const raw = JSON.parse(readFileSync(TRACE, 'utf8')) as { mutant: unknown; foundBy: { strategy: string }; property: string };
  expect(raw).toMatchObject({ mutant: null, foundBy: { strategy: 'bfs' }, property: 'SCOPE-DURABLE' });
});
