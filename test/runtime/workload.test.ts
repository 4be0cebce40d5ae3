import { describe, expect, it } from 'vitest';
import { OpStream, VALUE_SEQ_SPAN, WORKLOADS, Zipf, clientSeed } from '../../runtime/client/workload.ts';
import { findLostWrites } from '../../runtime/client/lost-writes.ts';
import { outcomeOf } from '../../runtime/client/load.ts';
import { ConnectionLost } from '../../runtime/client/connection.ts';
import type { HistoryEntry } from '../../runtime/client/history.ts';

const draw = (workload: keyof typeof WORKLOADS, seed: number, client: number, n: number, keys = 1000) => {
  const s = new OpStream(WORKLOADS[workload], new Zipf(keys), clientSeed(seed, client), client);
  return Array.from({ length: n }, () => s.next());
};

describe('workload', () => {
  it('is the same sequence for the same seed and client, another for another client or seed', () => {
    expect(draw('taobench', 5, 2, 200)).toEqual(draw('taobench', 5, 2, 200));
    expect(draw('taobench', 5, 3, 200)).not.toEqual(draw('taobench', 5, 2, 200));
    expect(draw('taobench', 6, 2, 200)).not.toEqual(draw('taobench', 5, 2, 200));
  });

  it.each(Object.entries(WORKLOADS))('%s reads about %d of the time', (w, fraction) => {
    const ops = draw(w as keyof typeof WORKLOADS, 1, 0, 20_000);
    const reads = ops.filter((o) => o.f === 'read').length / ops.length;
    expect(Math.abs(reads - fraction)).toBeLessThan(0.02);
  });

  it('skews keys: the hottest key gets far more than a uniform share, and every key is in range', () => {
    const ops = draw('ycsb-a', 1, 0, 20_000, 1000).flatMap((o) => (o.f === 'scope-end' ? [] : [o]));
    const counts = new Map<number, number>();
    for (const o of ops) counts.set(o.key, (counts.get(o.key) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThan(20 * (ops.length / 1000));
    expect(ops.every((o) => o.key >= 0 && o.key < 1000)).toBe(true);
    // The permutation spreads hot keys: the hottest is not simply key 0.
    expect([...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0]).not.toBe(0);
  });

  it('ends a scope after every N writes of the client when asked, and never otherwise', () => {
    const s = new OpStream(0.5, new Zipf(10), 1, 0, 3);
    const fs = Array.from({ length: 400 }, () => s.next().f);
    let writes = 0;
    for (const f of fs) {
      if (f === 'scope-end') {
        expect(writes).toBe(3);
        writes = 0;
      } else if (f === 'write') writes++;
    }
    expect(fs.filter((f) => f === 'scope-end').length).toBeGreaterThan(30);
    expect(draw('ycsb-a', 1, 0, 2000).some((o) => o.f === 'scope-end')).toBe(false);
  });

  it('writes values unique across clients, never 0, below 2^53', () => {
    const values = [0, 1, 2 ** 20].flatMap((c) => draw('ycsb-a', 1, c, 2000).flatMap((o) => (o.f === 'write' ? [o.value] : [])));
    expect(new Set(values).size).toBe(values.length);
    expect(values.every((v) => v > 0 && Number.isSafeInteger(v))).toBe(true);
    expect(Math.max(...values)).toBeGreaterThan(2 ** 20 * VALUE_SEQ_SPAN);
  });
});

describe('what an answer means for the history', () => {
  const w = { f: 'write' as const, key: 1, value: 9 };
  const r = { f: 'read' as const, key: 1 };
  it.each([
    ['write ok', w, { id: 1, ok: true }, 'ok'],
    ['write refused definitely', w, { id: 1, ok: false, error: 'busy', definite: true }, 'fail'],
    ['write refused without definite', w, { id: 1, ok: false, error: 'busy' }, 'info'],
    ['write, connection lost', w, new ConnectionLost('x'), 'info'],
    ['read, connection lost', r, new ConnectionLost('x'), 'fail'],
    ['read ok without a value (broken reply)', r, { id: 1, ok: true }, 'fail'],
    ['read ok', r, { id: 1, ok: true, value: 4 }, 'ok'],
  ] as const)('%s: %s', (_n, op, reply, type) => {
    expect(outcomeOf(op, reply as never).type).toBe(type);
  });
});

describe('lost-write check', () => {
  let t = 0;
  const ev = (process: number, type: 'invoke' | 'ok' | 'fail' | 'info', f: 'read' | 'write', key: number, value: number | null): HistoryEntry => ({ process, type, f, key, value, time: ++t, node: 0 });
  const h = [
    ev(0, 'invoke', 'write', 1, 10), ev(0, 'ok', 'write', 1, 10),
    ev(1, 'invoke', 'write', 1, 11), ev(1, 'ok', 'write', 1, 11),
    ev(2, 'invoke', 'write', 2, 20), ev(2, 'info', 'write', 2, 20),
    ev(3, 'invoke', 'write', 3, 30), ev(3, 'fail', 'write', 3, 30),
    ev(4, 'invoke', 'write', 4, 40), ev(5, 'invoke', 'write', 4, 41), ev(4, 'ok', 'write', 4, 40), ev(5, 'ok', 'write', 4, 41),
  ];
  it('accepts the last acknowledged value, an :info value, and either of two concurrent writes', () => {
    expect(findLostWrites(h, new Map([[1, 11], [2, 20], [4, 40], [3, 0]]))).toEqual([]);
    expect(findLostWrites(h, new Map([[2, 0], [4, 41]]))).toEqual([]);
  });
  it.each([
    [1, 10, /the acknowledged write of 11 began after/],
    [1, 0, /initial value 0 but 2 write/],
    [1, 99, /which no client wrote/],
    [3, 30, /refused as having no effect/],
  ])('flags key %d reading %d', (key, value, reason) => {
    const lost = findLostWrites(h, new Map([[key, value]]));
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatch(reason);
  });
});
