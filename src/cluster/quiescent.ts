import { canPromote } from '../protocol/recovery.ts';
import { encode } from './encode.ts';
import { next } from './next.ts';
import type { ClusterConfig, ClusterState } from './state.ts';

/**
 * Quiescent: nothing in flight, no pending persist, no pending client operation at a
 * live node, and no shadow ready to be promoted (the membership service still has a
 * step to take). With duplicate delivery messages never leave the network, so
 * "nothing in flight" becomes "delivering any message in flight changes nothing".
 */
export function isQuiescent(config: ClusterConfig, s: ClusterState): boolean {
  for (const node of s.nodes) {
    if (node.role === 0) continue;
    if (node.pending.length > 0 || node.client !== null) return false;
    if (canPromote(node, config)) return false;
  }
  if (s.net.length === 0) return true;
  if (!config.duplicates) return false;
  const here = encode(s).slice();
  let quiet = true;
  deliveries: for (const msg of s.net) {
    const after = encode(next(config, s, { kind: 'deliver', msg }));
    if (after.length !== here.length) quiet = false;
    for (let i = 0; quiet && i < after.length; i++) if (after[i] !== here[i]) quiet = false;
    if (!quiet) break deliveries;
  }
  // The explorer may still hold the encoder's view of s (it judges a state between
  // encoding it and queueing the bytes): leave s's encoding in the buffer, as found.
  encode(s);
  return quiet;
}
