/**
 * `--workers N` checks partitions in worker threads and must answer exactly what one
 * thread answers: the verdict, the partition explained (the least (round, index) found
 * illegal, not the first worker to finish), the anomaly, the linearizations, and the
 * budgets' 'unknown'. Each history here has several keys, shared out so that the
 * partition one thread reports sits with a worker that is not the first to answer.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../spec/history.ts';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { checkOperationsParallel, Referee, shareOut } from '../../checker/lincheck/parallel.ts';
import { partitionByKey } from '../../checker/lincheck/partition.ts';
import { SEQ_MODELS as MODELS } from '../../spec/models/registry.ts';
import { main } from '../../cli/main.ts';
import { captureConsole } from '../cli/capture-console.ts';
import { longRegisterHistory } from './long-history.ts';

const { out, err } = captureConsole();
const dir = mkdtempSync(join(tmpdir(), 'lincheck-parallel-'));

/** Sub-histories one after the other, each under its key, processes kept apart. */
function keyed(...parts: [string, readonly HistoryEvent[]][]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  parts.forEach(([key, part], k) => {
    for (const e of part) events.push({ ...e, key, process: e.process + 10_000 * k });
  });
  return events;
}

/** n concurrent writes of 0..n-1, then a read of a value nobody wrote: illegal only after every subset is tried. */
function impossibleRead(n: number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (let p = 0; p < n; p++) events.push({ process: p, type: 'invoke', f: 'write', value: p });
  for (let p = 0; p < n; p++) events.push({ process: p, type: 'ok', f: 'write', value: p });
  events.push({ process: 999, type: 'invoke', f: 'read', value: null }, { process: 999, type: 'ok', f: 'read', value: 1000 });
  return events;
}

/** The same, then n more concurrent writes of the same values (not distinct: no shortcut) and a read. */
function endless(n: number): HistoryEvent[] {
  const events = impossibleRead(n);
  for (let p = 0; p < n; p++) events.push({ process: 1000 + p, type: 'invoke', f: 'write', value: p });
  for (let p = 0; p < n; p++) events.push({ process: 1000 + p, type: 'ok', f: 'write', value: p });
  return events;
}

const stale: HistoryEvent[] = [
  { process: 0, type: 'invoke', f: 'write', value: 1 },
  { process: 0, type: 'ok', f: 'write', value: 1 },
  { process: 0, type: 'invoke', f: 'write', value: 2 },
  { process: 0, type: 'ok', f: 'write', value: 2 },
  { process: 1, type: 'invoke', f: 'read', value: null },
  { process: 1, type: 'ok', f: 'read', value: 1 },
];

const ok = (seed: number, ops = 300, clients = 6): HistoryEvent[] => longRegisterHistory({ ops, clients, seed });

const model = MODELS.register.create(undefined);
const registerRef = { module: new URL('../../spec/models/registry.ts', import.meta.url).href, factory: 'createSeqModel', config: { name: 'register', initial: undefined } };
const opsOf = (events: HistoryEvent[]) => buildOperations(events, model, { validate: false });

async function bothWays(events: HistoryEvent[], workers: number[], options: { uniqueValuesFrom?: number } = {}) {
  const ops = opsOf(events);
  const one = checkOperations(ops, model, options);
  for (const w of workers) {
    const many = await checkOperationsParallel(ops, model, { ...options, workers: w, modelRef: registerRef });
    expect(many).toEqual(one);
  }
  return one;
}

describe('checkOperationsParallel gives the one-thread result', () => {
  it('the partition illegal at the earliest round, although a lower-index one is still searching', async () => {
    // "slow" (index 0) is illegal only after thousands of steps; "quick" (index 2) in the first round.
    const events = keyed(['slow', impossibleRead(14)], ['fine', ok(1)], ['quick', stale], ['fine2', ok(2)]);
    const r = await bothWays(events, [2, 3], { uniqueValuesFrom: Infinity });
    expect(r.result).toBe('illegal');
    expect(r.explanation?.key).toBe('quick');
  }, 60_000);

  it('of two partitions illegal, the lower index, with the workers sharing them otherwise than in index order', async () => {
    // "big" sits alone with the first worker (the largest goes first).
    const events = keyed(['a', ok(3, 40, 3)], ['small', stale], ['big', [...ok(4, 200, 4), ...stale.map((e) => ({ ...e, process: e.process + 50 }))]]);
    const parts = partitionByKey(opsOf(events));
    expect(shareOut(parts, 2)[0]).toEqual([2]);
    const r = await bothWays(events, [2], { uniqueValuesFrom: Infinity });
    expect(r.explanation?.key).toBe('small');
  }, 60_000);

  it('a partition decided illegal without search wins over the search, the lowest index first', async () => {
    const staleLong = (seed: number) => longRegisterHistory({ ops: 400, clients: 5, seed, staleAt: 200 });
    const events = keyed(['s', stale], ['x', ok(5)], ['y', staleLong(6)], ['z', staleLong(7)]);
    const r = await bothWays(events, [3]);
    expect(r.result).toBe('illegal');
    expect(r.anomalyKey).toBe('y');
    expect(r.withoutSearch).toBe(3);
  }, 60_000);

  it('linearizable: the same linearization of every partition', async () => {
    const events = keyed(['p', ok(8)], ['q', ok(9, 200, 8)], ['r', ok(10, 50, 2)]);
    const r = await bothWays(events, [2], { uniqueValuesFrom: Infinity });
    expect(r.result).toBe('ok');
    expect(r.linearizations?.map((l) => l.length)).toEqual(partitionByKey(opsOf(events)).map((p) => p.ops.length));
  }, 60_000);

  it('one thread when there is one partition or one worker', async () => {
    const ops = opsOf(stale);
    const r = await checkOperationsParallel(ops, model, { workers: 4, modelRef: registerRef });
    expect(r).toEqual(checkOperations(ops, model));
  });
});

describe('the referee settles on what one thread would have found first', () => {
  const fast = (decided: number, ...illegal: number[]) => ({ type: 'fast', decided, illegal }) as const;

  it('waits for every worker to finish the round before naming the illegal partition, then takes the least (round, index)', () => {
    const r = new Referee(2);
    expect(r.hear(0, fast(0))).toBeUndefined();
    expect(r.hear(1, fast(0))).toBeUndefined();
    // Worker 1 answers first, with partition 5 in round 3; worker 0 is still in round 2.
    expect(r.hear(1, { type: 'illegal', part: 5, round: 3 })).toBeUndefined();
    expect(r.hear(0, { type: 'round-done', round: 2 })).toBeUndefined();
    expect(r.hear(0, { type: 'illegal', part: 1, round: 3 })).toEqual({ kind: 'illegal', part: 1, withoutSearch: 0 });
  });

  it('a later round loses to an earlier one; a worker past the round settles it', () => {
    const r = new Referee(3);
    for (const w of [0, 1, 2]) r.hear(w, fast(1));
    expect(r.hear(2, { type: 'illegal', part: 7, round: 1 })).toBeUndefined();
    expect(r.hear(0, { type: 'illegal', part: 0, round: 4 })).toBeUndefined();
    expect(r.hear(1, { type: 'round-done', round: 0 })).toBeUndefined();
    expect(r.hear(1, { type: 'round-done', round: 1 })).toEqual({ kind: 'illegal', part: 7, withoutSearch: 3 });
  });

  it('illegal without search wins, the lowest index, once every worker has done its first pass', () => {
    const r = new Referee(2);
    expect(r.hear(1, fast(2, 9, 4))).toBeUndefined();
    expect(r.hear(1, { type: 'illegal', part: 0, round: 0 })).toBeUndefined();
    expect(r.hear(0, fast(1, 6))).toEqual({ kind: 'fast-illegal', part: 4, withoutSearch: 3 });
  });

  it('unknown only when no violation was found anywhere; ok when every worker says ok', () => {
    const a = new Referee(2);
    a.hear(0, fast(0));
    a.hear(1, fast(0));
    expect(a.hear(0, { type: 'unknown', part: 2, reason: 'time' })).toBeUndefined();
    expect(a.hear(1, { type: 'illegal', part: 3, round: 9 })).toEqual({ kind: 'illegal', part: 3, withoutSearch: 0 });
    const b = new Referee(2);
    b.hear(0, fast(0));
    b.hear(1, fast(0));
    expect(b.hear(1, { type: 'ok', orders: [] })).toBeUndefined();
    expect(b.outOfMemory(0)).toEqual({ kind: 'unknown', part: undefined, reason: 'memory', withoutSearch: 0 });
    const c = new Referee(2);
    c.hear(0, fast(0));
    c.hear(1, fast(0));
    c.hear(0, { type: 'ok', orders: [[0, Int32Array.of(1, 0)]] });
    expect(c.hear(1, { type: 'ok', orders: [] })).toMatchObject({ kind: 'ok' });
  });
});

describe('heal lincheck --workers', () => {
  const file = (name: string, events: HistoryEvent[]): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(events));
    return path;
  };

  it('prints the same verdict and explanation, with the same exit code, as one worker', async () => {
    const path = file('keys.json', keyed(['slow', impossibleRead(14)], ['fine', ok(1)], ['quick', stale]));
    expect(await main(['lincheck', path, '--model', 'register'])).toBe(1);
    const one = out.splice(0);
    expect(await main(['lincheck', path, '--model', 'register', '--workers', '2'])).toBe(1);
    // Past the first line (it carries the time taken).
    expect(out.slice(1)).toEqual(one.slice(1));
    expect(one.join('\n')).toMatch(/not linearizable on key "quick"/);
  }, 60_000);

  it('a time or memory budget still answers unknown (exit 3)', async () => {
    const path = file('endless.json', keyed(['h1', endless(40)], ['h2', endless(40)], ['fine', ok(11)]));
    const started = performance.now();
    expect(await main(['lincheck', path, '--workers', '2', '--timeout', '0.5', '--json'])).toBe(3);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(out.join('\n')).toMatch(/unknown: the time budget ran out while checking key "h[12]"/);
    expect(await main(['lincheck', path, '--workers', '2', '--memory-limit', '1'])).toBe(3);
    expect(out.join('\n')).toMatch(/unknown: the memory budget \(--memory-limit 1 MB\) ran out/);
  }, 60_000);

  it('refuses a worker count that is not a positive integer or more than twice the cores, and bad input, with exit 2', async () => {
    const path = file('stale.json', stale);
    expect(await main(['lincheck', path, '--workers', '0'])).toBe(2);
    expect(await main(['lincheck', path, '--workers', '1.5'])).toBe(2);
    expect(err.join('\n')).toMatch(/--workers: expected a positive integer, got '1\.5'/);
    expect(await main(['lincheck', path, '--workers', '100000'])).toBe(2);
    expect(err.join('\n')).toMatch(/--workers 100000: at most \d+ on this machine/);
    // Workers start before the file is read; bad input still ends in exit 2 with its message.
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ process: 1, type: 'ok', f: 'read', value: 3 }]));
    expect(await main(['lincheck', bad, '--workers', '2'])).toBe(2);
    expect(err.join('\n')).toMatch(/bad\.json.*a ok read for process 1 with no invocation before it/);
  });
});
