/**
 * The replica step function for a delivered message: (state, message) -> state, with
 * effects appended to ctx.out. Etcd-raft style: no I/O, no clock, no randomness.
 */
import { onDurable, onMu, onMuEnd, onStartAck } from './recovery.ts';
import { onAck, onInv, onVal, tryComplete, tryReplayFollower } from './write-path.ts';
import { ACK, DURABLE, INV, MU, MU_END, START_ACK, VAL, type Ctx, type Msg, type NodeState } from './types.ts';

/**
 * Whether a delivery can have any effect: INV and ACK of another epoch are dropped
 * unread (R-RCV-INV, R-RCV-ACK). The cluster uses this to garbage-collect them.
 */
export function isStale(m: Msg, epoch: number): boolean {
  return (m.type === INV || m.type === ACK) && m.epoch !== epoch;
}

// A plain switch rather than ts-pattern: this runs once per explored transition. The
// messages of one persistency model (PACK, PVAL, PERSIST_SCOPE, SCOPE_ACK) go to its
// handler; a model never receives another's, since only its own rules send them.
export function deliver(node: NodeState, ctx: Ctx, m: Msg): NodeState {
  if (isStale(m, ctx.epoch)) return node;
  switch (m.type) {
    case INV:
      return tryReplayFollower(onInv(node, ctx, m.from, m.key, m.ts, m.value), ctx, m.key);
    case ACK:
      return onAck(node, ctx, m.from, m.key, m.ts);
    case VAL:
      return onVal(node, ctx, m.key, m.ts);
    case DURABLE:
      return onDurable(node, ctx, m.from, m.key, m.ts);
    case START_ACK:
      return onStartAck(node, m.from);
    case MU:
      return tryComplete(onMu(node, ctx, m.from, m.key, m.ts, m.value, m.valid, m.count), ctx, m.key);
    case MU_END:
      return onMuEnd(node, m.from, m.count);
    default:
      return ctx.persistency.onMessage(node, ctx, m);
  }
}
