/**
 * The FullCopy baseline (spec/recovery.md "FullCopy baseline"): a restarted node drops its
 * durable store and its Buddy sends it every key (F-RESTART, F-COPY). Nothing is recorded
 * while the cluster runs.
 */
import type { MUEntry, NodeState } from '../types.ts';
import { VALID } from '../types.ts';
import type { RecoveryModel } from './model.ts';

/** F-COPY: every key of the Buddy's store, Valid or not. */
export function fullCopyEntries(node: NodeState): (MUEntry | null)[] {
  return node.keys.map((ks) => ({ ts: ks.ts, value: ks.value, valid: ks.status === VALID }));
}

const same = (node: NodeState): NodeState => node;

export const fullcopy: RecoveryModel & { readonly name: 'fullcopy' } = {
  name: 'fullcopy',
  title: 'FullCopy',
  keepsDurable: false,
  tracksPartiallyPersisted: false,
  restartState: (_node, _ctx, fresh) => ({ durable: fresh.durable, pp: fresh.pp }),
  onFailure: same,
  onAdmission: same,
  streamEntries: (node) => fullCopyEntries(node),
  record: null,
};
