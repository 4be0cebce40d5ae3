/**
 * What a recovery is to the rest of the protocol (spec/recovery.md): how a restarted
 * node starts, what the live members do when a node fails and when it is admitted, what
 * its Buddy sends it, and what every applied update records for later. One object per
 * recovery, registered in index.ts and resolved once per step (Ctx.recovery); the rules
 * they share (admission, the stream's receipt, promotion) are in ../recovery.ts.
 */
import type { Ctx, MUEntry, NodeState } from '../types.ts';

export interface RecoveryModel {
  /** The `--recovery` value, and the key of the registry. */
  readonly name: string;
  readonly title: string;
  /**
   * A restarted node keeps its durable store (H-RESTART). Without it (F-RESTART) a crash
   * erases the store, so the PACKs the crashed node sent vouch for nothing (F-PACK-VOID).
   */
  readonly keepsDurable: boolean;
  /**
   * Partially_persisted lists and DURABLE notices are kept (H-PP-*, H-DURABLE-NOTICE),
   * while a crash may still come (the cluster turns them off once the budget is spent).
   */
  readonly tracksPartiallyPersisted: boolean;
  /** The durable store and Partially_persisted list a node restarts with (H-RESTART, F-RESTART). */
  restartState(node: NodeState, ctx: Ctx, fresh: NodeState): Pick<NodeState, 'durable' | 'pp'>;
  /** At a live member when f fails, after f is forgotten (H-SEED-MU, H-REFAIL). `before`: the member before the failure. */
  onFailure(node: NodeState, ctx: Ctx, f: number, fWasShadow: boolean, before: NodeState): NodeState;
  /** At a live member when f is admitted as a shadow (H-FREEZE). */
  onAdmission(node: NodeState, ctx: Ctx, f: number): NodeState;
  /** What the Buddy streams to f, per key (H-MU-STREAM, F-COPY). */
  streamEntries(node: NodeState, ctx: Ctx, f: number): readonly (MUEntry | null)[];
  /** Bookkeeping on every applied or validated update (H-MU-RECORD); null: none, and the write path skips the call. */
  readonly record: ((node: NodeState, ctx: Ctx, k: number, ts: number, value: number, valid: boolean) => NodeState) | null;
}
