/**
 * The network of the cluster model (spec/cluster-model.md C-SEND, C-DELIVER): a sorted
 * multiset of messages in flight, or a set under duplicate delivery. It knows message
 * identity and liveness of the receiver, nothing of what a message means beyond the
 * DURABLE coalescing reduction. Works on a step's mutable copy of the array.
 */
import {
  DURABLE, DOWN, type Msg, type NodeState,
} from '../protocol/types.ts';
import { compareMsg } from './state.ts';

export function findMsg(net: readonly Msg[], m: Msg): number {
  for (let i = 0; i < net.length; i++) if (compareMsg(net[i]!, m) === 0) return i;
  return -1;
}

/** Kept sorted so that the multiset has one representation (the encoding relies on it). */
function insertSorted(net: Msg[], m: Msg): void {
  let lo = 0;
  let hi = net.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareMsg(net[mid]!, m) <= 0) lo = mid + 1;
    else hi = mid;
  }
  net.splice(lo, 0, m);
}

/**
 * C-SEND: a message to a down node is lost. A DURABLE notice replaces an undelivered
 * older one on the same channel and key (RED-DURABLE-COALESCE: the newer one confirms
 * everything the older one does), unless `coalesce` is off (a real network's log).
 */
export function send(net: Msg[], nodes: readonly NodeState[], duplicates: boolean, m: Msg, coalesce = true): void {
  if (nodes[m.to]!.role === DOWN) return;
  if (m.type === DURABLE && coalesce) {
    let covered = false;
    for (let i = net.length - 1; i >= 0; i--) {
      const o = net[i]!;
      if (o.type !== DURABLE || o.from !== m.from || o.to !== m.to || o.key !== m.key) continue;
      if (o.ts >= m.ts) covered = true;
      else net.splice(i, 1);
    }
    if (covered) return;
  }
  // With duplicate delivery the network is a set, as in Hermes' TLA+ spec: a copy of a
  // message already in flight adds nothing (and keeps the state space finite).
  if (duplicates && findMsg(net, m) >= 0) return;
  insertSorted(net, m);
}

/** C-DELIVER: the message leaves the network, unless any message may be delivered again. */
export function take(net: Msg[], duplicates: boolean, m: Msg): Msg {
  const i = findMsg(net, m);
  if (i < 0) throw new Error(`deliver: message not in flight`);
  const found = net[i]!;
  if (!duplicates) net.splice(i, 1);
  return found;
}
