/**
 * What a persistency model is to the rest of the protocol: the hooks of spec/persistency.md
 * ("The hooks the base protocol uses"), one object per model, registered in index.ts. The
 * cluster resolves the object once per step (Ctx.persistency), so a rule calls a hook
 * instead of testing the model's name, as etcd raft sets `r.step` once per role.
 *
 * A hook left null keeps the base protocol's behaviour (Porcupine's optional model
 * functions): the rule then skips the call, so a call site on the hot path sees only the
 * models that change something, and stays cheap when `heal check` runs them all in turn.
 */
import { send } from '../node.ts';
import { ACK, type Ctx, type KeyState, type Msg, type MsgType, type NodeState } from '../types.ts';

type Step<A extends unknown[]> = ((node: NodeState, ctx: Ctx, ...args: A) => NodeState) | null;

export interface PersistencyModel {
  /** The `--persistency` value, and the key of the registry. */
  readonly name: string;
  /** As spec/persistency.md and the help text name it. */
  readonly title: string;
  /** The property ID (spec/properties.md) that states the model's guarantee; null: CONVERGE only. */
  readonly guarantee: string | null;
  /**
   * What the cluster's ghost records for the guarantee to judge: a completed write
   * durable at every member, a returned scope end durable at every replica, or nothing.
   */
  readonly records: 'write-at-members' | 'scope-at-replicas' | null;

  /** ACK condition (R-RCV-INV step 2), and any other answer an INV owes (P-RENF-PACK). Null: ACK at once. */
  readonly answerInv: Step<[from: number, k: number, ts: number]>;
  /** What an ACK says beyond counting towards completion (Synchronous: ts is durable at its sender). */
  readonly onAck: Step<[from: number, k: number, ts: number]>;
  /** Completion condition: what R-COMPLETE needs beyond all ACKs. Retried at every persist completion. */
  readonly mayComplete: ((node: NodeState, k: number, wts: number) => boolean) | null;
  /** At the coordinator once its write (or replay) of ts committed (R-COMPLETE, after the VAL). */
  readonly onCommit: Step<[k: number, ts: number]>;
  /** At a follower once a VAL committed ts (R-RCV-VAL). */
  readonly onVal: Step<[k: number, ts: number]>;
  /** Read condition: what R-READ needs beyond a Valid key at a replica. */
  readonly mayRead: ((ks: KeyState, ctx: Ctx) => boolean) | null;

  /** Persist order (P-PERSIST-DONE's guard): whether pending[index] may complete now. Null: any. */
  readonly mayPersist: ((node: NodeState, ctx: Ctx, index: number) => boolean) | null;
  /**
   * Persists carry their apply number and the store takes an equal ts again, so that the
   * latest persisted apply can be compared with the pending ones (PERSIST-ORDER-STRICT).
   */
  readonly numbersPersists: boolean;
  /** HEAL needs DURABLE notices (H-DURABLE-NOTICE): false where the model's own answers already say durable. */
  readonly durableNotices: boolean;
  /** After a persist of k completed and R-COMPLETE was retried: what else it may unblock. */
  readonly afterPersist: Step<[k: number]>;
  /** At a view change, per key, after the write path's retries (R-EPOCH). */
  readonly afterViewChange: Step<[k: number]>;
  /** At the promoted node, per key, after H-PROMOTE's own settling of untouched keys. */
  readonly afterPromotion: Step<[k: number]>;

  /** R-WRITE's extra bookkeeping for the model (Scope: the scope's latest write of k). */
  readonly onClientWrite: Step<[k: number, ts: number]>;
  /** The message types only this model sends; replica.ts routes them to onMessage. */
  readonly messages: readonly MsgType[];
  onMessage(node: NodeState, ctx: Ctx, m: Msg): NodeState;
  /** Client operation beyond read and write: the scope end (P-SCOPE-END), or null. */
  readonly scopeEnd: ((node: NodeState, ctx: Ctx) => NodeState) | null;
}

/**
 * The base protocol with nothing added: a follower ACKs at once, a write completes on
 * all ACKs, reads need a Valid key, persists complete in any order. A model spreads this
 * and replaces what it changes; every model object then has the same shape.
 */
export const BASE_MODEL: Omit<PersistencyModel, 'name' | 'title' | 'guarantee'> = {
  records: null,
  answerInv: null,
  onAck: null,
  mayComplete: null,
  onCommit: null,
  onVal: null,
  mayRead: null,
  mayPersist: null,
  numbersPersists: false,
  durableNotices: true,
  afterPersist: null,
  afterViewChange: null,
  afterPromotion: null,
  onClientWrite: null,
  messages: [],
  onMessage(_node, _ctx, m) {
    throw new Error(`message type ${m.type} is not one this persistency model sends`);
  },
  scopeEnd: null,
};

/** R-RCV-INV's ACK, sent on applying the INV. */
export function ackNow(ctx: Ctx, from: number, k: number, ts: number): void {
  send(ctx, ACK, from, k, ts, { epoch: ctx.epoch });
}

/** Whether pending[index] may complete now under ctx's model (P-PERSIST-DONE's guard). */
export function mayPersist(node: NodeState, ctx: Ctx, index: number): boolean {
  const h = ctx.persistency.mayPersist;
  return h === null || h(node, ctx, index);
}
