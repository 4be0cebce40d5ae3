/**
 * The HEAL model without the history-order reduction, for soundness tests of it: the
 * encoding is the canonical one followed by the client history in its actual order, so
 * two states are one only if their histories are equal event for event, and decode
 * gives back the actual order (the explorer continues from decoded states).
 */
import type { ClusterAction, ClusterState } from '../../src/cluster/index.ts';
import type { HistEntry } from '../../src/cluster/state.ts';
import type { Model } from '../../checker/model.ts';

const FIELDS = 5;

export function withRawHistoryOrder(model: Model<ClusterState, ClusterAction>): Model<ClusterState, ClusterAction> {
  return {
    ...model,
    name: `${model.name} without history-order reduction`,
    encode(s) {
      const core = model.encode(s);
      const out = new Uint8Array(core.length + FIELDS * s.history.length + 2);
      out.set(core);
      let p = core.length;
      for (const h of s.history) {
        for (const v of [h.p, h.type, h.f, h.key, h.value + 1]) {
          if (v < 0 || v > 255) throw new Error(`raw history field ${v} does not fit a byte`);
          out[p++] = v;
        }
      }
      out[p++] = core.length & 0xff;
      out[p++] = core.length >> 8;
      return out;
    },
    decode(bytes) {
      const coreLength = bytes[bytes.length - 2]! | (bytes[bytes.length - 1]! << 8);
      const s = model.decode(bytes.subarray(0, coreLength));
      const history: HistEntry[] = [];
      for (let p = coreLength; p < bytes.length - 2; p += FIELDS) {
        history.push({ p: bytes[p]!, type: bytes[p + 1] as 0 | 1, f: bytes[p + 2] as 0 | 1 | 2, key: bytes[p + 3]!, value: bytes[p + 4]! - 1 });
      }
      return { ...s, history };
    },
  };
}
