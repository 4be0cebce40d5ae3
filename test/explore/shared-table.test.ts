import { describe, expect, it } from 'vitest';
import { SharedFingerprintTable } from '../../checker/explore/shared-table.ts';

describe('shared fingerprint table', () => {
  it('inserts each fingerprint once, finds it by id, and keeps both across growth', () => {
    const table = new SharedFingerprintTable(2, 1024);
    const fingerprints: [number, number][] = [];
    // Full 32-bit words, zero and the high bit included, and clustered probes.
    for (let i = 0; i < 60_000; i++) fingerprints.push([(i * 0x9e3779b1) >>> 0, (i ^ 0x80000000) >>> 0]);
    fingerprints.push([0, 0], [0xffffffff, 0xffffffff]);
    fingerprints.forEach(([hi, lo], id) => expect(table.tryInsert(hi, lo, id, id % 2)).toBe(true));
    fingerprints.forEach(([hi, lo]) => expect(table.tryInsert(hi, lo, 999_999, 0)).toBe(false));
    expect(table.count).toBe(fingerprints.length);
    expect(table.full).toBe(true);
    const bigger = table.grown();
    expect(bigger.capacity).toBe(table.capacity * 2);
    expect(bigger.count).toBe(fingerprints.length);
    fingerprints.forEach(([hi, lo], id) => expect(bigger.lookup(hi, lo)).toBe(id));
    expect(bigger.lookup(12345, 67890)).toBe(-1);
    // A second view of the same buffer (as a worker holds it) sees the same entries.
    const view = new SharedFingerprintTable(2, bigger.buffer);
    expect(view.lookup(0xffffffff, 0xffffffff)).toBe(fingerprints.length - 1);
  });

  it('rejects a buffer that is not a table for that many workers', () => {
    const table = new SharedFingerprintTable(2, 1 << 16);
    expect(() => new SharedFingerprintTable(3, table.buffer)).toThrow(/not a table for 3 workers/);
  });
});

describe('shared fingerprint table when overfilled', () => {
  it('throws instead of probing forever', () => {
    const table = new SharedFingerprintTable(1, 1);
    for (let i = 0; i < table.capacity; i++) table.tryInsert(i, 1, i, 0);
    expect(() => table.tryInsert(table.capacity, 1, table.capacity, 0)).toThrow(/all 65536 slots are taken/);
  });
});

/** Fingerprint-like words for id k: scattered, so probes meet real clusters. */
const hiOf = (k: number) => Math.imul(k ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
const loOf = (k: number) => Math.imul(k + 0x27d4eb2f, 0x85ebca77) >>> 0;

describe('a shared table that cannot grow', () => {
  it('fills to 97% once crowded (past the 94.6% the standard Synchronous x HEAL space needs), and no further', () => {
    const table = new SharedFingerprintTable(2, 1);
    const atSeventy = Math.floor(table.capacity * 0.7);
    let id = 0;
    while (!table.full) table.tryInsert(hiOf(id), loOf(id), id++, 0);
    expect(table.count).toBe(atSeventy);
    expect(table.crowdable).toBe(true);
    table.crowd();
    expect(table.full).toBe(false);
    // A worker's view of the same buffer sees the raised limit without being told.
    expect(new SharedFingerprintTable(2, table.buffer).full).toBe(false);
    while (!table.full) expect(table.tryInsert(hiOf(id), loOf(id), id++, 1)).toBe(true);
    expect(table.count).toBe(Math.floor(table.capacity * 0.97));
    expect(table.count / table.capacity).toBeGreaterThan(0.946);
    expect(table.crowdable).toBe(false);
    // Exact at that load: every id found, every repeat refused, nothing else found.
    for (let k = 0; k < id; k++) expect(table.lookup(hiOf(k), loOf(k))).toBe(k);
    for (let k = 0; k < id; k += 97) expect(table.tryInsert(hiOf(k), loOf(k), 999_999, k % 2)).toBe(false);
    for (let k = id; k < id + 1000; k++) expect(table.lookup(hiOf(k), loOf(k))).toBe(-1);
    expect(table.count).toBe(id);
  });

  it('raises the limit of a table restored from a 90%-crowded checkpoint', () => {
    const table = new SharedFingerprintTable(1, 1);
    // What the previous rule left in a checkpoint's header (word 1).
    table.words[1] = Math.floor(table.capacity * 0.9);
    let id = 0;
    while (!table.full) table.tryInsert(hiOf(id), loOf(id), id++, 0);
    const restored = new SharedFingerprintTable(1, table.buffer);
    expect(restored.crowdable).toBe(true);
    restored.crowd();
    expect(restored.full).toBe(false);
  });
});
