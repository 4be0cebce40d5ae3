/**
 * The BFS frontier past its memory bound: records go to files and come back in order, so
 * counts, depths and shortest counterexamples are those of a run that never spilled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/index.ts';
import { SpillingQueue } from '../../checker/explore/spill.ts';
import type { ExploreOptions } from '../../checker/explore/types.ts';
import { referenceExplore } from './reference.ts';
import { createMailbox, gridRef, mailboxRef, createGrid } from './toy-models.ts';

const base: ExploreOptions = { strategy: 'bfs', seed: 1, workers: 1, symmetry: false };

describe('SpillingQueue', () => {
  it('gives back every record in the order pushed, across spilled segments', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-test-'));
    const q = new SpillingQueue(8 * 1024, dir);
    let pushed = 0;
    let taken = 0;
    const take = () => {
      const bytes = q.shift();
      expect(q.last.a).toBe(taken);
      expect(q.last.b).toBe(taken % 7);
      expect(Array.from(bytes)).toEqual(Array.from({ length: taken % 13 }, (_, i) => (taken + i) & 255));
      taken++;
    };
    // Interleave pushes and takes as BFS does: the queue spills while it is being drained.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 300; i++, pushed++) {
        q.push(pushed, pushed % 7, 0, 0, Uint8Array.from({ length: pushed % 13 }, (_, j) => (pushed + j) & 255));
      }
      for (let i = 0; i < 200; i++) take();
      expect(q.size).toBe(pushed - taken);
    }
    expect(q.spilledTotal).toBeGreaterThan(0);
    expect(q.bytes).toBeLessThanOrEqual(4 * 8 * 1024);
    while (q.size > 0) take();
    expect(taken).toBe(pushed);
    q.dispose();
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });

  it('hands its records, spilled files included, to another queue in order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-test-'));
    const from = new SpillingQueue(8 * 1024, dir);
    const to = new SpillingQueue(8 * 1024, dir);
    const push = (q: SpillingQueue, a: number) => q.push(a, 0, 0, 0, Uint8Array.of(a & 255, 7));
    for (let a = 0; a < 500; a++) push(to, a);
    for (let a = 500; a < 3000; a++) push(from, a);
    const h = from.takeAll();
    expect(h.files.length).toBeGreaterThan(0);
    expect(from.size).toBe(0);
    to.adoptHandover(h);
    for (let a = 3000; a < 3100; a++) push(to, a);
    for (let a = 0; a < 3100; a++) {
      expect(Array.from(to.shift())).toEqual([a & 255, 7]);
      expect(to.last.a).toBe(a);
    }
    expect(to.size).toBe(0);
    from.dispose();
    to.dispose();
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('BFS with a spilling frontier', () => {
  const tiny = { frontierMemoryMB: 0.01 };

  it('counts what a run in memory counts, on one thread and on two workers', async () => {
    const ref = referenceExplore(createMailbox({ n: 11 }));
    const one = await explore(createMailbox({ n: 11 }), { ...base, ...tiny });
    expect(one.spilledStates).toBeGreaterThan(1000);
    expect([one.distinctStates, one.generatedStates]).toEqual([ref.distinct, ref.generated]);
    const two = await explore(mailboxRef({ n: 11 }), { ...base, ...tiny, workers: 2 });
    expect(two.spilledStates).toBeGreaterThan(1000);
    expect([two.distinctStates, two.generatedStates]).toEqual([ref.distinct, ref.generated]);
    const inMemory = await explore(createMailbox({ n: 11 }), base);
    expect(inMemory.spilledStates).toBeUndefined();
    expect(one.maxDepth).toBe(inMemory.maxDepth);
  });

  it('still finds a shortest counterexample', async () => {
    const bad = { n: 11, badSettled: 11, badCrowd: 3 };
    for (const r of [await explore(createMailbox(bad), { ...base, ...tiny }), await explore(mailboxRef(bad), { ...base, ...tiny, workers: 2 })]) {
      expect(r.counterexample!.property).toBe('SETTLED');
      expect(r.counterexample!.actions).toHaveLength(2);
    }
    const grid = await explore(gridRef({ k: 300, badSum: 290 }), { ...base, ...tiny, workers: 2 });
    expect(grid.counterexample!.actions).toHaveLength(290);
    const gridOne = await explore(createGrid({ k: 300, badSum: 290 }), { ...base, ...tiny });
    expect(gridOne.counterexample!.actions).toHaveLength(290);
  });

  it('leaves no spill files behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-run-'));
    await explore(createMailbox({ n: 10 }), { ...base, ...tiny, spillDir: dir });
    await explore(mailboxRef({ n: 10 }), { ...base, ...tiny, spillDir: dir, workers: 2 });
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
