/** HTypeOK and HConsistent of Hermes.tla, as predicates on the packed state. */
import {
  ACKS,
  ALIVE,
  EPOCH,
  LAST_WRITER,
  LW_TIEBREAKER,
  LW_VERSION,
  MSG_TYPE_ERROR,
  NODE_STATE_NAMES,
  STATE,
  TS_TIEBREAKER,
  TS_VERSION,
  VALID,
  WRITE_EPOCH,
  nodeBase,
  type HermesLayout,
} from './layout.ts';

/**
 * HTypeOK. The packing already confines msgs to HMessage except for a send that was
 * flagged as out of range, so each remaining conjunct is a range check on a byte.
 * null when it holds, else which conjunct fails.
 */
export function typeOkViolation(layout: HermesLayout, s: Uint8Array): string | null {
  if (s[MSG_TYPE_ERROR] !== 0) return 'msgs \\subseteq HMessage fails: a message outside HMessage was sent';
  if ((s[ALIVE] & ~layout.allNodesMask) !== 0) return 'aliveNodes \\subseteq H_NODES fails';
  if (s[EPOCH] >= layout.epochs) return `epochID = ${s[EPOCH]} is outside 0..${layout.epochs - 1}`;
  for (let n = 0; n < layout.nodes; n++) {
    const b = nodeBase(n);
    const id = n + 1;
    if ((s[b + ACKS] & ~(layout.allNodesMask & ~(1 << n))) !== 0) {
      return `nodeRcvedAcks[${id}] is not a subset of H_NODES \\ {${id}}`;
    }
    if (s[b + LAST_WRITER] >= layout.nodes) return `nodeLastWriter[${id}] is not in H_NODES`;
    if (s[b + TS_VERSION] > layout.maxVersion || s[b + TS_TIEBREAKER] >= layout.nodes) {
      return `nodeTS[${id}] is outside [version: 0..${layout.maxVersion}, tieBreaker: H_NODES]`;
    }
    if (s[b + LW_VERSION] > layout.maxVersion || s[b + LW_TIEBREAKER] >= layout.nodes) {
      return `nodeLastWriteTS[${id}] is outside [version: 0..${layout.maxVersion}, tieBreaker: H_NODES]`;
    }
    if (s[b + STATE] >= NODE_STATE_NAMES.length) return `nodeState[${id}] is not a node state`;
    if (s[b + WRITE_EPOCH] >= layout.epochs) return `nodeWriteEpochID[${id}] is outside 0..${layout.epochs - 1}`;
  }
  return null;
}

/** HConsistent: all alive nodes in state valid have the same nodeTS. */
export function consistencyViolation(layout: HermesLayout, s: Uint8Array): string | null {
  const alive = s[ALIVE];
  for (let k = 0; k < layout.nodes; k++) {
    const bk = nodeBase(k);
    if ((alive & (1 << k)) === 0 || s[bk + STATE] !== VALID) continue;
    for (let j = k + 1; j < layout.nodes; j++) {
      const bj = nodeBase(j);
      if ((alive & (1 << j)) === 0 || s[bj + STATE] !== VALID) continue;
      if (s[bk + TS_VERSION] !== s[bj + TS_VERSION] || s[bk + TS_TIEBREAKER] !== s[bj + TS_TIEBREAKER]) {
        return (
          `alive valid nodes ${k + 1} and ${j + 1} disagree: nodeTS[${k + 1}] = <<${s[bk + TS_VERSION]}, ${s[bk + TS_TIEBREAKER] + 1}>>, ` +
          `nodeTS[${j + 1}] = <<${s[bj + TS_VERSION]}, ${s[bj + TS_TIEBREAKER] + 1}>>`
        );
      }
    }
  }
  return null;
}
