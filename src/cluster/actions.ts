/**
 * Actions of the cluster model (spec/cluster-model.md "Actions"): plain JSON,
 * identified by content, enumerated in a fixed order.
 */
import { canPromote } from '../protocol/recovery.ts';
import { PERSISTENCY } from '../protocol/persistency/index.ts';
import { mayPersist } from '../protocol/persistency/model.ts';
import { serveRead } from '../protocol/write-path.ts';
import {
  VALID, DOWN, REPLICA, type Msg,
} from '../protocol/types.ts';
import { makeCtx } from './context.ts';
import { compareMsg, type ClusterConfig, type ClusterState } from './state.ts';

export type ClusterAction =
  | { readonly kind: 'write'; readonly node: number; readonly key: number }
  | { readonly kind: 'read'; readonly node: number; readonly key: number }
  | { readonly kind: 'scope-end'; readonly node: number }
  | { readonly kind: 'deliver'; readonly msg: Msg }
  | { readonly kind: 'persist'; readonly node: number; readonly key: number; readonly ts: number }
  | { readonly kind: 'crash'; readonly node: number }
  | { readonly kind: 'restart'; readonly node: number }
  | { readonly kind: 'promote'; readonly node: number };

/**
 * A client is sequential: it invokes again only once answered. Which clients are waiting
 * is the observers' record of invocations and replies (ghostAwaiting), not the node's:
 * a node that lost track of its client must not free the client to invoke again.
 */
export function clientActions(config: ClusterConfig, s: ClusterState, out: ClusterAction[]): void {
  for (let n = 0; n < config.nodes; n++) {
    const node = s.nodes[n]!;
    if (node.role !== REPLICA || s.ghostAwaiting[n] !== 0 || s.writesLeft === 0) continue;
    for (let k = 0; k < config.keys; k++) if (node.keys[k]!.status === VALID) out.push({ kind: 'write', node: n, key: k });
  }
  if (s.readsLeft > 0) {
    for (let n = 0; n < config.nodes; n++) {
      const node = s.nodes[n]!;
      if (node.role === DOWN || s.ghostAwaiting[n] !== 0) continue;
      const ctx = makeCtx(config, s, n);
      for (let k = 0; k < config.keys; k++) if (serveRead(node, ctx, k) !== null) out.push({ kind: 'read', node: n, key: k });
    }
  }
  if (s.scopesLeft > 0 && PERSISTENCY[config.persistency].scopeEnd !== null) {
    for (let n = 0; n < config.nodes; n++) {
      const node = s.nodes[n]!;
      if (node.role === REPLICA && s.ghostAwaiting[n] === 0) out.push({ kind: 'scope-end', node: n });
    }
  }
}

/** Deliveries and persist completions: what draining a state may still do. */
export function systemActions(config: ClusterConfig, s: ClusterState, out: ClusterAction[]): void {
  const net = s.net;
  for (let i = 0; i < net.length; i++) {
    // Identical copies of a message are one action: the multiset is what matters.
    if (i > 0 && compareMsg(net[i - 1]!, net[i]!) === 0) continue;
    out.push({ kind: 'deliver', msg: net[i]! });
  }
  for (let n = 0; n < config.nodes; n++) {
    const node = s.nodes[n]!;
    if (node.role === DOWN || node.pending.length === 0) continue;
    const ctx = makeCtx(config, s, n);
    for (let i = 0; i < node.pending.length; i++) {
      if (!mayPersist(node, ctx, i)) continue;
      const p = node.pending[i]!;
      out.push({ kind: 'persist', node: n, key: p.key, ts: p.ts });
    }
  }
}

export function membershipActions(config: ClusterConfig, s: ClusterState, out: ClusterAction[], allowCrash: boolean): void {
  if (allowCrash && s.crashesLeft > 0) {
    let replicas = 0;
    for (const node of s.nodes) if (node.role === REPLICA) replicas++;
    for (let n = 0; n < config.nodes; n++) {
      const node = s.nodes[n]!;
      if (node.role === DOWN) continue;
      // A crash needs at least 2 other replicas to stay up (spec/system-model.md).
      if (replicas - (node.role === REPLICA ? 1 : 0) >= 2) out.push({ kind: 'crash', node: n });
    }
  }
  for (let n = 0; n < config.nodes; n++) if (s.nodes[n]!.role === DOWN) out.push({ kind: 'restart', node: n });
  for (let n = 0; n < config.nodes; n++) if (canPromote(s.nodes[n]!, config)) out.push({ kind: 'promote', node: n });
}

export function actions(config: ClusterConfig, s: ClusterState): ClusterAction[] {
  const out: ClusterAction[] = [];
  clientActions(config, s, out);
  systemActions(config, s, out);
  membershipActions(config, s, out, true);
  return out;
}

/** What a drain may do: no new client operation and no crash. */
export function drainActions(config: ClusterConfig, s: ClusterState): ClusterAction[] {
  const out: ClusterAction[] = [];
  systemActions(config, s, out);
  membershipActions(config, s, out, false);
  return out;
}
