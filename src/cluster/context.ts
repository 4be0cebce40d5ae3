import { tracksPartiallyPersisted } from '../protocol/membership.ts';
import { PERSISTENCY } from '../protocol/persistency/index.ts';
import { RECOVERY } from '../protocol/recovery/index.ts';
import type { Ctx, Effects } from '../protocol/types.ts';
import { membersOf, replicasOf, type ClusterConfig, type ClusterState } from './state.ts';

/**
 * What a node is told about the world for one step (Ctx); effects go to `out`. The models' hook
 * objects are looked up here, once per step, so that no rule compares names.
 */
export function makeCtx(config: ClusterConfig, s: ClusterState, self: number, out?: Effects): Ctx {
  const recovery = RECOVERY[config.recovery];
  return {
    self,
    nodes: config.nodes,
    keyCount: config.keys,
    epoch: s.epoch,
    members: membersOf(s),
    replicas: replicasOf(s),
    persistency: PERSISTENCY[config.persistency],
    recovery,
    mutant: config.mutant,
    trackPP: tracksPartiallyPersisted(recovery, s.crashesLeft),
    out: out ?? { sends: [], replies: [] },
  };
}
