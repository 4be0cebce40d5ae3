import { canPromote } from '../protocol/recovery.ts';
import { DOWN } from '../protocol/types.ts';
import type { ClusterAction } from './actions.ts';
import type { ClusterConfig, ClusterState } from './state.ts';

/**
 * Quiescent, as far as the state alone tells: no pending persist, no pending client
 * operation at a live node, no shadow ready to be promoted (the membership service still
 * has a step to take), and nothing in flight. With duplicate delivery messages never
 * leave the network, so messages in flight do not rule quiescence out here: the checker
 * also requires every delivery (stutterCapable below) to leave the state unchanged, which
 * it sees from the successors it computes anyway. Neither function encodes or steps a
 * state: the explorer may hold the encoder's last output while it asks.
 */
export function isQuiescent(config: ClusterConfig, s: ClusterState): boolean {
  for (const node of s.nodes) {
    if (node.role === DOWN) continue;
    if (node.pending.length > 0 || node.client !== null) return false;
    if (canPromote(node, config)) return false;
  }
  return s.net.length === 0 || config.duplicates;
}

/** The actions a quiescent state may enable provided they change nothing: re-deliveries. */
export function stutterCapable(config: ClusterConfig, a: ClusterAction): boolean {
  return config.duplicates && a.kind === 'deliver';
}
