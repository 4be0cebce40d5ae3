/**
 * A message as eight numbers: `[type, from, to, key, ts, value | durableAt, epoch | count,
 * valid]`. The state encoding (src/cluster/encode.ts) and the runtime's peer frame
 * (spec/runtime-protocol.md) use it. No kind uses both fields of a pair (spec/messages.md),
 * so a pair fits one word and the kind says which field it is. (Not `|`: the runtime's
 * values go up to 2^53.)
 */
import { MU, MU_END, PVAL, type Msg, type MsgType } from './types.ts';

export type MsgWords = readonly [number, number, number, number, number, number, number, number];

/** The word that carries `value` or, for PVAL, `durableAt`. */
export function valueWord(m: Msg): number {
  return m.type === PVAL ? m.durableAt : m.value;
}

/** The word that carries `epoch` or, for MU and MU_END, `count`. */
export function epochWord(m: Msg): number {
  return m.type === MU || m.type === MU_END ? m.count : m.epoch;
}

export function msgWords(m: Msg): MsgWords {
  return [m.type, m.from, m.to, m.key, m.ts, valueWord(m), epochWord(m), m.valid ? 1 : 0];
}

export function msgOfWords(type: MsgType, from: number, to: number, key: number, ts: number, valueW: number, epochW: number, validW: number): Msg {
  const counted = type === MU || type === MU_END;
  return {
    type, from, to, key, ts,
    value: type === PVAL ? 0 : valueW, durableAt: type === PVAL ? valueW : 0,
    epoch: counted ? 0 : epochW, count: counted ? epochW : 0,
    valid: validW === 1,
  };
}
