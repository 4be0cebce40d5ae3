import { tracksPartiallyPersisted } from '../protocol/membership.ts';
import type { Ctx, Effects } from '../protocol/types.ts';
import { membersOf, replicasOf, type ClusterConfig, type ClusterState } from './state.ts';

/** The per-step view a node gets of the world; effects go to `out`. */
export function makeCtx(config: ClusterConfig, s: ClusterState, self: number, out?: Effects): Ctx {
  return {
    self,
    nodes: config.nodes,
    keyCount: config.keys,
    epoch: s.epoch,
    members: membersOf(s),
    replicas: replicasOf(s),
    persistency: config.persistency,
    recovery: config.recovery,
    mutant: config.mutant,
    trackPP: tracksPartiallyPersisted(config.recovery, s.crashesLeft),
    out: out ?? { sends: [], replies: [] },
  };
}
