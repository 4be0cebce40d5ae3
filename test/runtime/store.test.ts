/**
 * The node's durable store: a node killed with SIGKILL in the middle of its writes and
 * fsyncs reopens a consistent store holding every batch whose fsync had returned; a torn
 * or corrupt tail is cut off; compaction and FullCopy's clear keep what they must.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Store, replay, type StoredUpdate } from '../../runtime/node/store.ts';
import { tempDir } from './harness.ts';

const writer = fileURLToPath(new URL('./store-writer.ts', import.meta.url));

function commit(store: Store, batch: StoredUpdate[]): Promise<void> {
  return new Promise((resolve, reject) => store.commit(batch, (e) => (e ? reject(e) : resolve())));
}

describe('Store', () => {
  it('a writer killed with SIGKILL mid-write reopens with every fsynced batch and a clean log', async () => {
    const dir = tempDir('store-kill');
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Killed at an arbitrary point of its write/fsync loop, after some batches.
        if (out.split('\n').length > 40) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const synced = out.trim().split('\n').map(Number);
    const last = synced[synced.length - 1]!;
    const { store, opened } = Store.open(dir, 150);
    // Every batch up to the last one acknowledged is there; the latest record per key wins.
    for (let i = 0; i < 20; i++) {
      const u = opened.updates.get((last * 20 + i) % 50)!;
      expect(u.ts).toBeGreaterThanOrEqual(last * 256 + 1);
    }
    // What remains on disk is whole records only: replaying it again reads every byte.
    const buf = readFileSync(join(dir, 'store.log'));
    expect(replay(buf, new Map())).toBe(buf.length);
    store.close();
  }, 20_000);

  it('cuts off a torn record and a record with a bad checksum, keeping the good prefix', async () => {
    const dir = tempDir('store-torn');
    const { store } = Store.open(dir, 32);
    await commit(store, [{ key: 1, ts: 257, value: 7, seq: 0 }]);
    store.close();
    const good = statSync(join(dir, 'store.log')).size;
    const copy = readFileSync(join(dir, 'store.log'));
    // A second record with one byte flipped, then half a record.
    const flipped = Buffer.from(copy);
    flipped[flipped.length - 1]! ^= 0xff;
    appendFileSync(join(dir, 'store.log'), Buffer.concat([flipped, copy.subarray(0, 10)]));
    const { store: again, opened } = Store.open(dir, 32);
    expect(opened.tornBytes).toBe(copy.length + 10);
    expect(opened.updates.get(1)).toEqual({ key: 1, ts: 257, value: 7, seq: 0 });
    expect(statSync(join(dir, 'store.log')).size).toBe(good);
    again.close();
  });

  it('compacts a log past twice its live data and keeps the latest value of every key', async () => {
    const dir = tempDir('store-compact');
    const { store } = Store.open(dir, 150);
    for (let round = 1; round <= 30; round++) {
      await commit(store, Array.from({ length: 40 }, (_, k) => ({ key: k, ts: round * 256, value: round * 1000 + k, seq: 0 })));
    }
    expect(store.compacted).toBeGreaterThan(0);
    store.close();
    const { store: again, opened } = Store.open(dir, 150);
    expect(opened.updates.size).toBe(40);
    for (let k = 0; k < 40; k++) expect(opened.updates.get(k)!.value).toBe(30_000 + k);
    // Uncompacted, 30 rounds of 40 records of 178 bytes would be 213 600 bytes; compaction
    // starts above 64 KiB and twice the live data.
    expect(statSync(join(dir, 'store.log')).size).toBeLessThanOrEqual(64 * 1024 + 40 * 178);
    again.close();
  });

  it('clear (FullCopy restart) leaves an empty store on disk; the incarnation survives a reopen', async () => {
    const dir = tempDir('store-clear');
    const { store } = Store.open(dir, 16);
    await commit(store, [{ key: 0, ts: 256, value: 1, seq: 0 }]);
    store.setIncarnation(3);
    store.clear();
    store.close();
    const { store: again, opened } = Store.open(dir, 16);
    expect(opened.updates.size).toBe(0);
    expect(opened.incarnation).toBe(3);
    expect(opened.existed).toBe(true);
    again.close();
  });
});
