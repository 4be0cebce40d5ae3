/**
 * The HEAL model without the encoding's order reductions, for soundness tests of them:
 * the encoding is the canonical one followed by the client history and the ghost
 * guarantee records exactly as they are, so two states are one only if those are equal
 * entry for entry, and decode gives them back as they were (the explorer continues from
 * decoded states). With the history kept, LIN confirms the online monitor with the
 * linearizability checker on every state (model/heal.ts).
 */
import type { ClusterAction, ClusterState } from '../../src/cluster/index.ts';
import type { GhostDurable, HistEntry } from '../../src/cluster/state.ts';
import type { Model } from '../../checker/model.ts';

function put16(out: number[], v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new Error(`unreduced encoding: field ${v} does not fit 16 bits`);
  out.push(v & 0xff, v >> 8);
}

export function withoutReductions(model: Model<ClusterState, ClusterAction>): Model<ClusterState, ClusterAction> {
  return {
    ...model,
    name: `${model.name} without order reductions`,
    encode(s) {
      const core = model.encode(s);
      const tail: number[] = [];
      if (s.history === null) throw new Error('unreduced encoding: the state lost its history');
      put16(tail, s.history.length);
      for (const h of s.history) for (const v of [h.p, h.type, h.f, h.key, h.value + 1]) put16(tail, v);
      put16(tail, s.ghostDurable.length);
      for (const g of s.ghostDurable) for (const v of [g.key, g.ts, g.members]) put16(tail, v);
      put16(tail, core.length);
      const out = new Uint8Array(core.length + tail.length);
      out.set(core);
      out.set(tail, core.length);
      return out;
    },
    decode(bytes) {
      const at = (i: number) => bytes[i]! | (bytes[i + 1]! << 8);
      const coreLength = at(bytes.length - 2);
      const s = model.decode(bytes.subarray(0, coreLength));
      let p = coreLength;
      const next = () => {
        const v = at(p);
        p += 2;
        return v;
      };
      const history: HistEntry[] = [];
      for (let i = next(); i > 0; i--) history.push({ p: next(), type: next() as 0 | 1, f: next() as 0 | 1 | 2, key: next(), value: next() - 1 });
      const ghostDurable: GhostDurable[] = [];
      for (let i = next(); i > 0; i--) ghostDurable.push({ key: next(), ts: next(), members: next() });
      return { ...s, history, ghostDurable };
    },
  };
}
