import { PERSISTENCY, type Persistency } from '../../src/protocol/persistency/index.ts';
import { RECOVERY, type Recovery } from '../../src/protocol/recovery/index.ts';
import { emptyNode } from '../../src/protocol/recovery.ts';
import type { Ctx, NodeState } from '../../src/protocol/types.ts';

/** A Ctx for one rule; the models are given by name, as in a config. */
export function ctx(
  over: Partial<Omit<Ctx, 'out' | 'persistency' | 'recovery'>> & { persistency?: Persistency; recovery?: Recovery } = {},
): Ctx {
  const { persistency = 'eventual', recovery = 'heal', ...rest } = over;
  return {
    self: 0, nodes: 3, keyCount: 1, epoch: 0, members: 0b111, replicas: 0b111,
    mutant: null, trackPP: true, ...rest,
    persistency: PERSISTENCY[persistency], recovery: RECOVERY[recovery], out: { sends: [], replies: [] },
  };
}

export function node(): NodeState {
  return emptyNode({ nodes: 3, keyCount: 1 }, 0);
}
