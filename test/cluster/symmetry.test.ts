/**
 * Why the HEAL model offers no node-symmetry reduction (spec/properties.md): rotating
 * node ids preserves the Buddy ring but not the writer order that breaks timestamp
 * ties, so a rotated run is not the rotation of the run.
 */
import { describe, expect, it } from 'vitest';
import { initialState, next, type ClusterAction, type ClusterState } from '../../src/cluster/index.ts';
import { config } from './harness.ts';

function concurrentWrites(a: number, b: number): ClusterState {
  const cfg = config({ crashes: 0 });
  let s = initialState(cfg);
  const step = (x: ClusterAction) => (s = next(cfg, s, x));
  step({ kind: 'write', node: a, key: 0 });
  step({ kind: 'write', node: b, key: 0 });
  for (const m of s.net.filter((m) => m.type === 0 && (m.to === a || m.to === b))) step({ kind: 'deliver', msg: m });
  return s;
}

describe('node symmetry', () => {
  it('a rotation is not an automorphism: the tie between two concurrent writes flips', () => {
    // Writers n0 and n1 (the first write is value 1, the second value 2): n1's ts wins.
    const s = concurrentWrites(0, 1);
    expect(s.nodes[0]!.keys[0]!.value).toBe(2);
    // Rotated by +2: writers n2 and n0. The rotation of the run above would let the
    // second writer (n0) win; instead the first writer (n2) does.
    const r = concurrentWrites(2, 0);
    expect(r.nodes[2]!.keys[0]!.value).toBe(1);
    expect(r.nodes[0]!.keys[0]!.value).toBe(1);
  });
});
