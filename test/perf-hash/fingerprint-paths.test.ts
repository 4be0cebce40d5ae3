/**
 * fingerprint reads whole 32-bit words when it sees the same buffer again (the models'
 * reusable encode buffer); that path must give exactly the byte path's fingerprint, or
 * two encodings of one state could be told apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../checker/explore/hash.ts';

function of(bytes: Uint8Array): [number, number] {
  const out = { hi: 0, lo: 0 };
  fingerprint(bytes, out);
  return [out.hi, out.lo];
}

describe('fingerprint', () => {
  it('the word path (a reused buffer) and the byte path (fresh copies) agree', () => {
    const shared = new Uint8Array(1024);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 64 }), (data, offset) => {
        shared.set(data, offset);
        const inShared = shared.subarray(offset, offset + data.length);
        // Hashed three times so the reused buffer reaches the word path whatever came before.
        of(inShared);
        of(inShared);
        expect(of(inShared)).toEqual(of(data.slice()));
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  it('differs when one byte differs (word path)', () => {
    const shared = new Uint8Array(64);
    shared.fill(7, 0, 20);
    const a = of(shared.subarray(0, 20));
    of(shared.subarray(0, 20));
    shared[13] = 8;
    expect(of(shared.subarray(0, 20))).not.toEqual(a);
  });
});
