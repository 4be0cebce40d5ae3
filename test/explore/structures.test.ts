import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../checker/explore/hash.ts';
import { RecordDeque } from '../../checker/explore/records.ts';
import { NO_PARENT, VisitedSet } from '../../checker/explore/visited.ts';

describe('visited set', () => {
  it('behaves as a map from fingerprint to first-insertion id, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 })), { maxLength: 3000 }), (keys) => {
        const set = new VisitedSet(1024);
        const reference = new Map<string, number>();
        keys.forEach(([hi, lo], i) => {
          const key = `${hi}:${lo}`;
          const id = set.insert(hi, lo, i);
          if (reference.has(key)) {
            expect(id).toBe(-1);
          } else {
            expect(id).toBe(reference.size);
            reference.set(key, id);
          }
        });
        expect(set.size).toBe(reference.size);
        for (const [key, id] of reference) {
          const [hi, lo] = key.split(':').map(Number);
          expect(set.lookup(hi, lo)).toBe(id);
        }
        expect(set.lookup(999, 999)).toBe(-1);
      }),
    );
  });

  it('fills to 97% before it gives up when memory cannot hold a bigger table', () => {
    const set = new VisitedSet(1024, () => false);
    let inserted = 0;
    expect(() => {
      for (;;) {
        // Scattered words, so the probes meet real clusters.
        set.insert(Math.imul(inserted, 0x9e3779b1) >>> 0, inserted, NO_PARENT);
        inserted++;
      }
    }).toThrow(/visited set would need/);
    // The insert that reached the crowded limit was recorded, then the table refused more.
    expect(set.size).toBe(Math.floor(1024 * 0.97));
    for (let i = 0; i < set.size; i++) expect(set.lookup(Math.imul(i, 0x9e3779b1) >>> 0, i)).toBe(i);
    expect(set.lookup(Math.imul(set.size + 1, 0x9e3779b1) >>> 0, set.size + 1)).toBe(-1);
  });

  it('keeps parents, including the no-parent marker', () => {
    const set = new VisitedSet();
    const ids: number[] = [];
    for (let i = 0; i < 200_000; i++) ids.push(set.insert(i * 2654435761, i, i === 0 ? NO_PARENT : i - 1));
    expect(set.parentOf(ids[0])).toBe(NO_PARENT);
    expect(set.parentOf(ids[123_456])).toBe(123_455);
    expect(set.bytes / set.size).toBeLessThan(40);
  });
});

describe('record deque', () => {
  it('is a FIFO and a LIFO of byte records with their header words', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 300 }), fc.boolean(), (items, lifo) => {
        const deque = new RecordDeque(64);
        items.forEach((bytes, i) => deque.push(i, i * 2, i * 3, i * 4, bytes));
        const order = lifo ? [...items.keys()].reverse() : [...items.keys()];
        for (const i of order) {
          const got = lifo ? deque.pop() : deque.shift();
          expect(Array.from(got)).toEqual(Array.from(items[i]));
          expect([deque.last.a, deque.last.b, deque.last.hi, deque.last.lo]).toEqual([i, i * 2, i * 3, i * 4]);
        }
        expect(deque.size).toBe(0);
      }),
    );
  });
});

describe('fingerprint', () => {
  it('is deterministic and separates close inputs', () => {
    const a = { hi: 0, lo: 0 };
    const b = { hi: 0, lo: 0 };
    const seen = new Set<string>();
    const bytes = new Uint8Array(48);
    for (let i = 0; i < 48 * 8; i++) {
      bytes.fill(0);
      bytes[i >>> 3] = 1 << (i & 7);
      fingerprint(bytes, a);
      fingerprint(bytes.slice(), b);
      expect(b).toEqual(a);
      seen.add(`${a.hi}:${a.lo}`);
    }
    // every single-bit input, plus lengths 0..47 of zeros, gets its own fingerprint
    for (let len = 0; len < 48; len++) {
      fingerprint(new Uint8Array(len), a);
      seen.add(`${a.hi}:${a.lo}`);
    }
    expect(seen.size).toBe(48 * 8 + 48);
  });
});
