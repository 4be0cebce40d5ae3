/**
 * A set of key indices as 32-bit words, immutable like the rest of NodeState. A shadow
 * records which keys its stream delivered and which keys it saw written; a single 32-bit
 * mask made keys 32 apart alias, so a stream of 33 keys never completed (finding R1,
 * found by running the protocol for real: spec/runtime-protocol.md).
 */
export type KeySet = readonly number[];

export const NO_KEYS: KeySet = [];

export function hasKey(set: KeySet, k: number): boolean {
  return (((set[k >>> 5] ?? 0) >>> (k & 31)) & 1) === 1;
}

export function withKeyAdded(set: KeySet, k: number): KeySet {
  if (hasKey(set, k)) return set;
  const word = k >>> 5;
  const out = set.length > word ? set.slice() : [...set, ...new Array<number>(word + 1 - set.length).fill(0)];
  out[word] = (out[word]! | (1 << (k & 31))) >>> 0;
  return out;
}

export function keysIn(set: KeySet): number {
  let n = 0;
  for (let w of set) {
    while (w !== 0) {
      w &= w - 1;
      n++;
    }
  }
  return n;
}

/** The keys in the set, ascending. */
export function keyList(set: KeySet): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.length; i++) for (let b = 0; b < 32; b++) if (((set[i]! >>> b) & 1) === 1) out.push(i * 32 + b);
  return out;
}
