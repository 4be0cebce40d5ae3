/**
 * Long single-key histories: the search's cache must grow with the history, not
 * with its square (a whole bitset per cached configuration needed 1.4 GB at 100k
 * operations and could not be allocated at all past 131k), and running out of
 * budget must be an answer ('unknown'), not a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOperations, type Operation } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { LinearizationSearch } from '../../checker/lincheck/search.ts';
import { WindowSet } from '../../checker/lincheck/memo.ts';
import { registerModel } from '../../spec/models/register.ts';
import { UNKNOWN } from '../../spec/models/types.ts';
import { longRegisterHistory, type LongHistoryOptions } from './long-history.ts';

const MB = 2 ** 20;
/** These tests are about the search: keep the distinct-values algorithm out of the way. */
const SEARCH = { uniqueValuesFrom: Infinity } as const;
const model = registerModel();
const opsOf = (o: LongHistoryOptions) => buildOperations(longRegisterHistory(o), model, { validate: false });

function searchToEnd(o: LongHistoryOptions): { result: string; memoBytes: number } {
  const search = new LinearizationSearch(opsOf(o), model);
  for (;;) {
    const r = search.run(1 << 16);
    if (r !== 'pending') return { result: r, memoBytes: search.memoBytes };
  }
}

describe('long single-key histories', () => {
  it('150,000 operations on one register: linearizable, no RangeError', () => {
    const result = checkOperations(opsOf({ ops: 150_000, seed: 3 }), model, { explain: false, ...SEARCH });
    expect(result.result).toBe('ok');
  }, 60_000);

  it('the cache stays within a few MB at 50,000 operations, with and without :info operations', () => {
    const plain = searchToEnd({ ops: 50_000, seed: 5 });
    expect(plain.result).toBe('ok');
    expect(plain.memoBytes).toBeLessThan(16 * MB); // a whole bitset per entry: about 300 MB
    const withInfo = searchToEnd({ ops: 50_000, seed: 6, infoRate: 0.01 });
    expect(withInfo.result).toBe('ok');
    expect(withInfo.memoBytes).toBeLessThan(16 * MB);
  }, 60_000);

  it('a stale read in the middle of 20,000 operations is found', () => {
    const result = checkOperations(opsOf({ ops: 20_000, seed: 7, staleAt: 10_001 }), model, { explain: false, ...SEARCH });
    expect(result.result).toBe('illegal');
  }, 60_000);

  it('the explanation of a stale read in 20,000 operations names that read, minimally', () => {
    const ops = opsOf({ ops: 20_000, seed: 7, staleAt: 10_001 });
    const result = checkOperations(ops, model, SEARCH);
    expect(result.result).toBe('illegal');
    const e = result.explanation!;
    expect(e.minimal).toBe(true);
    expect(e.blocked.f).toBe('read');
    expect(e.blockedStepIllegal).toBe(true);
    // The prefix just before the blocked read returns is linearizable; with it, not.
    const cut = (t: number): Operation[] => ops.filter((op) => op.call <= t).map((op) => (op.ret <= t ? op : { ...op, output: UNKNOWN, ret: Infinity }));
    expect(checkOperations(cut(e.blocked.ret - 1), model, { explain: false, ...SEARCH }).result).toBe('ok');
    expect(checkOperations(cut(e.blocked.ret), model, { explain: false, ...SEARCH }).result).toBe('illegal');
  }, 60_000);

  it("past the memory budget the verdict is 'unknown' with reason 'memory'", () => {
    const result = checkOperations(opsOf({ ops: 20_000, seed: 8 }), model, { memoryLimitBytes: 64 * 1024, ...SEARCH });
    expect(result).toMatchObject({ result: 'unknown', reason: 'memory' });
  });
});

describe('the window encoding of a linearized set', () => {
  /** Encoding computed from scratch: first non-full word, words up to the last non-zero one, and the indeterminate words. */
  function encodeNaive(members: Set<number>, pos: Int32Array, ind: Uint8Array, n: number): string {
    const det: number[] = [];
    const other: number[] = [];
    for (let op = 0; op < n; op++) {
      const arr = ind[op] ? other : det;
      const w = pos[op] >>> 5;
      while (arr.length <= w) arr.push(0);
      if (members.has(op)) arr[w] = (arr[w] | (1 << (pos[op] & 31))) >>> 0;
    }
    let low = 0;
    while (low < det.length && det[low] === 0xffffffff) low++;
    let high = det.length;
    while (high > low && det[high - 1] === 0) high--;
    let highInd = other.length;
    while (highInd > 0 && other[highInd - 1] === 0) highInd--;
    return JSON.stringify([low, det.slice(low, high), other.slice(0, highInd)]);
  }
  function encode(s: WindowSet): string {
    const det = s.high > s.low ? Array.from(s.det.subarray(s.low, s.high)) : [];
    return JSON.stringify([s.low, det, Array.from(s.ind.subarray(0, s.highInd))]);
  }

  it('equals the encoding of the same set computed from scratch, after any adds and removes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.array(fc.boolean(), { maxLength: 130 }),
        fc.array(fc.nat(200), { maxLength: 400 }),
        (n, indFlags, steps) => {
          const ind = new Uint8Array(n);
          const pos = new Int32Array(n);
          let d = 0;
          let i = 0;
          for (let op = 0; op < n; op++) {
            ind[op] = indFlags[op] ? 1 : 0;
            pos[op] = ind[op] ? i++ : d++;
          }
          const s = new WindowSet();
          s.pos = pos;
          s.indeterminate = ind;
          s.reset(d, i);
          const members = new Set<number>();
          // Mostly fill in invocation order, as the search does, with removals mixed in.
          for (const step of steps) {
            const op = step % n;
            if (members.has(op)) {
              s.remove(op);
              members.delete(op);
            } else {
              s.add(op);
              members.add(op);
            }
            expect(encode(s)).toBe(encodeNaive(members, pos, ind, n));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
