/**
 * `heal load` against the fake cluster (a linearizable in-memory store speaking the
 * runtime contract): the history it records is read by `heal lincheck` and judged
 * linearizable, faults happen, no acknowledged write is lost; and against the fake's
 * mutant that forgets what a killed node acknowledged, the same run is caught.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.ts';
import { captureConsole } from '../cli/capture-console.ts';
import { FakeCluster, type FakeOptions } from './fake-cluster.ts';

const out = captureConsole({ stderrWrites: true });
const tmp = mkdtempSync(join(tmpdir(), 'heal-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `body` run against a fresh fake cluster in tmp/NAME, stopped afterwards whatever happens. */
async function withFakeCluster(name: string, options: Omit<FakeOptions, 'dir'>, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = join(tmp, name);
  const fake = await new FakeCluster({ dir, ...options }).start();
  try {
    await body(dir);
  } finally {
    await fake.stop();
  }
}

async function loadRun(name: string, keys: number, killAt: string, mutant?: 'lose-on-kill') {
  const dir = join(tmp, name);
  const fake = await new FakeCluster({ dir, nodes: 3, keys, replyDelayMs: 2, promoteDelayMs: 150, mutant }).start();
  const history = join(dir, 'h.edn');
  // Captured here, not by captureConsole: beforeAll runs before its beforeEach spies.
  const lines: string[] = [];
  const errs: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (errs.push(String(c)), true));
  try {
    const code = await main(['load', '--cluster', dir, '--duration', '1.5', '--clients', '4', '--kill', '1', '--kill-at', killAt, '--restart-after', '0.3', '--final-reads', '--history', history, '--json', '--seed', '7']);
    const summary = JSON.parse(lines.at(-1)!);
    const progress = errs.filter((l) => /ops\/s/.test(l));
    const lincheck = await main(['lincheck', history, '--model', 'heal', '--json']);
    return { code, summary, lincheck, verdict: JSON.parse(lines.at(-1)!), edn: readFileSync(history, 'utf8'), fake, progress };
  } finally {
    log.mockRestore();
    err.mockRestore();
    await fake.stop();
  }
}

describe('heal load against a linearizable fake cluster', () => {
  let r: Awaited<ReturnType<typeof loadRun>>;
  beforeAll(async () => {
    r = await loadRun('good', 20, '0.5');
  });

  it('runs, kills and restarts the node, and loses no acknowledged write', () => {
    expect(r.code).toBe(0);
    expect(r.summary.ok).toBeGreaterThan(100);
    expect(r.summary.nemesis.map((a: { what: string; node: number }) => `${a.what} ${a.node}`)).toEqual(['kill 1', 'restart 1']);
    expect(r.summary.finalReads).toBe(20);
    expect(r.summary.lostWrites).toEqual([]);
  });

  it('records a history that heal lincheck reads and finds linearizable', () => {
    expect(r.lincheck).toBe(0);
    expect(r.verdict.linearizable).toBe(true);
    expect(r.verdict.operations).toBeGreaterThan(100);
    expect(r.verdict.partitions).toBe(20);
    expect(r.edn).toMatch(/^\{:process :nemesis, :type :info, :f :kill, :value 1/m);
  });

  it('sees the kill: the killed node\'s clients move to others, some reads refused while it is a shadow or gone', () => {
    expect(r.summary.fail + r.summary.info).toBeGreaterThan(0);
    expect(r.fake.served.every((n) => n > 0)).toBe(true);
  });

  it('prints a progress line each second', () => {
    expect(r.progress.length).toBeGreaterThanOrEqual(1);
    expect(r.progress[0]).toMatch(/ops\/s {2}p50 [\d.]+ ms {2}p99 [\d.]+ ms {2}errors \d+/);
  });
});

describe('heal load against the fake that forgets a killed node\'s acknowledged writes', () => {
  it('is caught twice: acknowledged writes lost (exit 1), and heal lincheck says not linearizable', async () => {
    // Many cold keys and a late kill: some key the killed node wrote is not written again before the final reads.
    const r = await loadRun('mutant', 500, '1.2', 'lose-on-kill');
    expect(r.code).toBe(1);
    expect(r.summary.lostWrites.length).toBeGreaterThan(0);
    expect(r.lincheck).toBe(1);
    expect(r.verdict.linearizable).toBe(false);
  });
});

describe('heal load usage errors', () => {
  it.each([
    [['--duration', '1'], /--cluster DIR is required/],
    [['--cluster', join(tmp, 'none')], /cannot read .*cluster\.json/],
  ])('%j exits 2: %s', async (args, message) => {
    expect(await main(['load', ...args])).toBe(2);
    expect(out.err.join('\n')).toMatch(message);
  });

  it('ends scopes under Scope persistency: recorded without a key, read by heal lincheck', async () => {
    await withFakeCluster('scope', { nodes: 2, keys: 10, persistency: 'scope' }, async (dir) => {
      const history = join(dir, 'h.edn');
      expect(await main(['load', '--cluster', dir, '--duration', '0.5', '--clients', '2', '--scope-every', '2', '--history', history])).toBe(0);
      const edn = readFileSync(history, 'utf8');
      expect(edn).toMatch(/^\{:process \d+, :type :ok, :f :scope-end, :value nil/m);
      expect(await main(['lincheck', history, '--model', 'heal'])).toBe(0);
      expect(out.out.at(-1)).toBe('linearizable');
    });
  });

  it('refuses a node the cluster does not have, and fault flags without --kill', async () => {
    await withFakeCluster('usage', { nodes: 3, keys: 5 }, async (dir) => {
      expect(await main(['load', '--cluster', dir, '--kill', '9'])).toBe(2);
      expect(out.err.join('\n')).toMatch(/--kill: expected a node id of the cluster \(0, 1, 2\) or 'random', got '9'/);
      expect(await main(['load', '--cluster', dir, '--restart-after', '1'])).toBe(2);
      expect(out.err.join('\n')).toMatch(/--restart-after: needs --kill/);
      expect(await main(['load', '--cluster', dir, '--kill', '1', '--during-recovery'])).toBe(2);
      expect(out.err.join('\n')).toMatch(/--during-recovery: needs --restart-after/);
      expect(await main(['load', '--cluster', dir, '--keys', '6'])).toBe(2);
      expect(out.err.join('\n')).toMatch(/--keys: expected an integer from 1 to 5/);
      expect(await main(['load', '--cluster', dir, '--scope-every', '3'])).toBe(2);
      expect(out.err.join('\n')).toMatch(/--scope-every: the cluster runs persistency synch/);
    });
  });
});

describe('heal nemesis', () => {
  it('kills and restarts the node through the control port, with --json', async () => {
    await withFakeCluster('nemesis', { nodes: 3, keys: 5, promoteDelayMs: 50 }, async (dir) => {
      expect(await main(['nemesis', '--cluster', dir, '--kill', '2', '--at', '0.1', '--restart-after', '0.2', '--json'])).toBe(0);
      const { actions } = JSON.parse(out.out.at(-1)!);
      expect(actions.map((a: { what: string; node: number }) => `${a.what} ${a.node}`)).toEqual(['kill 2', 'restart 2']);
      expect(actions[0].tMs).toBeGreaterThanOrEqual(100);
      expect(actions[1].tMs - actions[0].tMs).toBeGreaterThanOrEqual(200);
      const views = readFileSync(join(dir, 'views.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).cause);
      expect(views.slice(0, 2)).toEqual(['crash', 'restart']);
    });
  });

  it('--kill random picks a node of the cluster from the seed, the same one for the same seed', async () => {
    await withFakeCluster('nemesis-random', { nodes: 5, keys: 5 }, async (dir) => {
      const picks: number[] = [];
      for (const seed of ['4', '4']) {
        expect(await main(['nemesis', '--cluster', dir, '--kill', 'random', '--seed', seed, '--restart-after', '0', '--json'])).toBe(0);
        picks.push(JSON.parse(out.out.at(-1)!).actions[0].node);
      }
      expect(picks[0]).toBe(picks[1]);
      expect(picks[0]).toBeGreaterThanOrEqual(0);
      expect(picks[0]).toBeLessThan(5);
    });
  });

  it('--during-recovery kills the node again while it is a shadow', async () => {
    await withFakeCluster('nemesis-during', { nodes: 3, keys: 5, promoteDelayMs: 500 }, async (dir) => {
      expect(await main(['nemesis', '--cluster', dir, '--kill', '0', '--restart-after', '0.05', '--during-recovery', '--json'])).toBe(0);
      const { actions } = JSON.parse(out.out.at(-1)!);
      expect(actions.map((a: { what: string }) => a.what)).toEqual(['kill', 'restart', 'kill', 'restart']);
    });
  });

  it.each(['load', 'nemesis', 'experiment'])('heal %s --help exits 0 and names its options', async (command) => {
    expect(await main(command === 'experiment' ? [command, 'recovery', '--help'] : [command, '--help'])).toBe(0);
    expect(out.out.join('\n')).toMatch(/^usage: heal /);
    expect(out.out.join('\n')).toMatch(command === 'experiment' ? /--sizes/ : /--kill NODE\|random/);
  });
});

describe('--rate', () => {
  it('caps the operations issued: at most rate x duration (plus one per client), where unlimited issues far more', async () => {
    await withFakeCluster('rate', { nodes: 2, keys: 10 }, async (dir) => {
      const { History } = await import('../../runtime/client/history.ts');
      const { runLoad, clientEndpoints } = await import('../../runtime/client/load.ts');
      const { readClusterFile } = await import('../../runtime/client/cluster-file.ts');
      const nodes = clientEndpoints(readClusterFile(dir));
      const common = { nodes, clients: 2, durationMs: 1000, workload: 'taobench' as const, keys: 10, seed: 1 };
      const capped = await runLoad({ ...common, rate: 100, history: new History() });
      const free = await runLoad({ ...common, history: new History() });
      const issued = (r: typeof capped) => r.summary.ok + r.summary.fail + r.summary.info;
      expect(issued(capped)).toBeLessThanOrEqual(100 + 2);
      expect(issued(capped)).toBeGreaterThan(30);
      expect(issued(free)).toBeGreaterThan(2 * issued(capped));
    });
  });
});
