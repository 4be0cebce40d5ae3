import { emptyNode } from '../../src/protocol/recovery.ts';
import type { Ctx, NodeState, Persistency, Recovery } from '../../src/protocol/types.ts';

export function ctx(over: Partial<Omit<Ctx, 'out'>> & { persistency?: Persistency; recovery?: Recovery } = {}): Ctx {
  return {
    self: 0, nodes: 3, keyCount: 1, epoch: 0, members: 0b111, replicas: 0b111, persistency: 'eventual',
    recovery: 'heal', mutant: null, trackPP: true, ...over, out: { sends: [], replies: [] },
  };
}

export function node(): NodeState {
  return emptyNode({ nodes: 3, keyCount: 1 }, 0);
}
