/**
 * The encoding's two paths (one byte per field when every field is below 128, varints
 * otherwise) give one canonical, decodable layout; walks under every persistency and
 * recovery round-trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, initialState, type ClusterState } from '../../src/cluster/index.ts';
import { PERSISTENCIES, hasScopeEnds } from '../../src/protocol/persistency/index.ts';
import { RECOVERIES } from '../../src/protocol/recovery/index.ts';
import { config, statesAlong as walk } from './harness.ts';

const bytesOf = (s: ClusterState) => Buffer.from(encode(s));

describe('encode layout', () => {
  it('a field of 128 or more takes the varint path and the same layout as the byte path', () => {
    const cfg = config();
    const s = walk(cfg, [0, 3, 1, 4])[4]!;
    const small = bytesOf(s);
    const nodes = s.nodes.slice();
    nodes[0] = { ...nodes[0]!, applySeq: 200 };
    const big = bytesOf({ ...s, nodes });
    // applySeq is the third field of node 0, after the six state fields.
    const at = 6 + 2;
    expect(small[at]).toBe(s.nodes[0]!.applySeq);
    expect(big).toEqual(Buffer.concat([small.subarray(0, at), Buffer.from([0xc8, 0x01]), small.subarray(at + 1)]));
    expect(decode(cfg, big).nodes[0]!.applySeq).toBe(200);
  });

  it('large timestamps and masks round-trip (8 nodes: masks above 127)', () => {
    const cfg = config({ nodes: 8, writes: 3, crashes: 2 });
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 40 }), (choices) => {
        for (const s of walk(cfg, choices)) {
          const bytes = bytesOf(s);
          const back = decode(cfg, bytes);
          expect(bytesOf(back)).toEqual(bytes);
          expect(back.nodes).toEqual(s.nodes);
          expect(back.net).toEqual(s.net);
        }
      }),
      { seed: 11, numRuns: 40 },
    );
    const s = initialState(cfg);
    const nodes = s.nodes.slice();
    const ts = 300 * 256 + 7 * 16 + 5;
    nodes[3] = { ...nodes[3]!, keys: [{ ...nodes[3]!.keys[0]!, ts, acks: 0xff }] };
    const back = decode(cfg, encode({ ...s, nodes }));
    expect(back.nodes[3]!.keys[0]!.ts).toBe(ts);
    expect(back.nodes[3]!.keys[0]!.acks).toBe(0xff);
  });

  it('a negative or non-32-bit field is refused, not silently wrapped', () => {
    const s = initialState(config());
    expect(() => encode({ ...s, epoch: -1 })).toThrow(/field value -1 is not an unsigned 32-bit integer/);
    expect(() => encode({ ...s, epoch: 2 ** 32 + 128 })).toThrow(/not an unsigned 32-bit integer/);
  });

  for (const persistency of PERSISTENCIES) {
    for (const recovery of RECOVERIES) {
      it(`walks round-trip under ${persistency} x ${recovery} (duplicates on)`, () => {
        const cfg = config({ persistency, recovery, scopes: hasScopeEnds(persistency) ? 1 : 0, crashes: 2, writes: 3, reads: 2, duplicates: true });
        fc.assert(
          fc.property(fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 50 }), (choices) => {
            for (const s of walk(cfg, choices)) {
              const bytes = bytesOf(s);
              expect(bytesOf(decode(cfg, bytes))).toEqual(bytes);
            }
          }),
          { seed: 5, numRuns: 25 },
        );
      });
    }
  }
});
