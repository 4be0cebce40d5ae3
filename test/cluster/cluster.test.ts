import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHealModel } from '../../model/heal.ts';
import { actions, encode, historyOf, initialState, next, type ClusterState } from '../../src/cluster/index.ts';
import { config, healModel } from './harness.ts';

function walkStates(seed: number, steps: number, over = {}): ClusterState[] {
  const cfg = config({ persistency: 'scope', scopes: 1, crashes: 2, writes: 3, reads: 2, ...over });
  const out: ClusterState[] = [];
  let s = initialState(cfg);
  for (const c of fc.sample(fc.nat({ max: 999 }), { seed, numRuns: steps })) {
    const acts = actions(cfg, s);
    if (acts.length === 0) break;
    s = next(cfg, s, acts[c % acts.length]!);
    out.push(s);
  }
  return out;
}

describe('canonical encoding', () => {
  it('decode(encode(s)) encodes the same bytes, on states of seeded walks', () => {
    const model = healModel(config({ persistency: 'scope', scopes: 1, crashes: 2, writes: 3, reads: 2 }));
    for (let seed = 1; seed <= 30; seed++) {
      for (const s of walkStates(seed, 60)) {
        const bytes = model.encode(s).slice();
        expect(model.encode(model.decode(bytes))).toEqual(bytes);
      }
    }
  });
  it('two states that differ only in the order of messages in flight encode the same', () => {
    const s = walkStates(7, 6).find((x) => x.net.length >= 2)!;
    expect(s).toBeDefined();
    const shuffled = { ...s, net: s.net.slice().reverse() };
    expect(Buffer.from(encode(shuffled))).toEqual(Buffer.from(encode({ ...s, net: s.net.slice().sort((a, b) => a.type - b.type || a.from - b.from || a.to - b.to || a.key - b.key || a.ts - b.ts || a.value - b.value || a.epoch - b.epoch || a.durableAt - b.durableAt || a.count - b.count || Number(a.valid) - Number(b.valid)) })));
  });
  it('rejects truncated bytes', () => {
    const model = healModel(config());
    const bytes = model.encode(model.initialStates()[0]!).slice();
    expect(() => model.decode(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });
});

describe('actions and next', () => {
  it('the initial state offers writes and reads at every node and crashes', () => {
    const model = healModel(config());
    const keys = model.actions(model.initialStates()[0]!).map((a) => model.actionKey(a));
    expect(keys).toEqual(['write:0:0', 'write:1:0', 'write:2:0', 'read:0:0', 'read:1:0', 'read:2:0', 'crash:0', 'crash:1', 'crash:2']);
  });
  it('a crash drops messages to the crashed node and bumps the epoch; next never mutates its input', () => {
    const cfg = config();
    const s0 = initialState(cfg);
    const s1 = next(cfg, s0, { kind: 'write', node: 0, key: 0 });
    const frozen = JSON.stringify(s1);
    const s2 = next(cfg, s1, { kind: 'crash', node: 1 });
    expect(JSON.stringify(s1)).toBe(frozen);
    expect(s2.epoch).toBe(1);
    expect(s2.net.some((m) => m.to === 1)).toBe(false);
    expect(s2.nodes[1]!.role).toBe(0);
  });
  it('actions are plain JSON: a JSON round trip replays to the same state', () => {
    const cfg = config({ crashes: 2, writes: 3 });
    let a = initialState(cfg);
    let b = initialState(cfg);
    for (const c of fc.sample(fc.nat({ max: 999 }), { seed: 3, numRuns: 40 })) {
      const acts = actions(cfg, a);
      if (acts.length === 0) break;
      const act = acts[c % acts.length]!;
      a = next(cfg, a, act);
      b = next(cfg, b, JSON.parse(JSON.stringify(act)));
    }
    expect(Buffer.from(encode(b))).toEqual(Buffer.from(encode(a)));
  });
});

describe('history', () => {
  it('records invocations and completions; a crash leaves the write pending; each incarnation is its own process', () => {
    const cfg = config();
    let s = initialState(cfg);
    s = next(cfg, s, { kind: 'write', node: 0, key: 0 });
    s = next(cfg, s, { kind: 'read', node: 1, key: 0 });
    s = next(cfg, s, { kind: 'crash', node: 0 });
    s = next(cfg, s, { kind: 'restart', node: 0 });
    expect(historyOf(s)).toEqual([
      { process: 0, type: 'invoke', f: 'write', key: 'k0', value: 1 },
      { process: 1, type: 'invoke', f: 'read', key: 'k0', value: null },
      { process: 1, type: 'ok', f: 'read', key: 'k0', value: 0 },
    ]);
    expect(s.nodes[0]!.incarnation).toBe(1);
  });
});

describe('model boundary', () => {
  it('rejects a bad config naming the field', () => {
    expect(() => createHealModel({ ...config(), persistency: 'sometimes' })).toThrow(/field 'persistency'/);
    expect(() => createHealModel({ ...config(), mutant: 'nope' })).toThrow(/unknown mutant 'nope'/);
    expect(() => createHealModel({ ...config(), extra: 1 })).toThrow(/heal config/);
  });
  it('describes actions in one readable line and gives a JSON display', () => {
    const model = healModel(config());
    const s = model.next(model.initialStates()[0]!, { kind: 'write', node: 0, key: 0 });
    const deliver = model.actions(s).find((a) => a.kind === 'deliver')!;
    expect(model.describeAction(deliver)).toBe('n1 delivers INV(k0, ts 1.0, v1, e0) from n0');
    const v = model.display!(s) as { nodes: { keys: { state: string }[] }[]; messages: string[] };
    expect(v.nodes[0]!.keys[0]!.state).toBe('Write');
    expect(v.messages).toHaveLength(2);
  });
});
