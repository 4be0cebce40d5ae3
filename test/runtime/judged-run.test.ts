/**
 * The judged run of issue #13: start a cluster (3 nodes, 100 keys), load it for 10 s,
 * SIGKILL a node and restart it, wait for its promotion, then `heal lincheck` on the
 * client history must say linearizable and no acknowledged write may be lost.
 *
 * Against `heal cluster` (the real processes) once cli/commands/cluster.ts exists; until
 * then that case is skipped, and the same test body runs against the fake cluster
 * (test/runtime/fake-cluster.ts) with a shorter load, so the judging code is exercised.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processLauncher, type Launcher } from '../../runtime/client/launch.ts';
import { toEdn } from '../../runtime/client/history.ts';
import { runCluster } from '../../runtime/client/run.ts';
import { readViews, recoveryViews } from '../../runtime/client/views.ts';
import { heal } from '../cli/run-heal.ts';
import { fakeLauncher } from './fake-cluster.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const hasCluster = existsSync(join(root, 'cli/commands/cluster.ts'));
const tmp = mkdtempSync(join(tmpdir(), 'heal-judged-'));
/**
 * Issue #13 asks for a small store; 100 keys. Note for the merge: the runtime's first
 * version promotes no shadow past 31 keys (RECOVERY_KEY_LIMIT in cli/commands/cluster.ts,
 * a 32-bit mask in the core); this test must see the promotion, so it fails until that
 * limit goes, rather than pass on a store too small to matter.
 */
const KEYS = 100;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function judgedRun(name: string, launcher: Launcher, seconds: number) {
  const dir = join(tmp, name);
  const handle = await launcher({ dir, nodes: 3, persistency: 'synch', recovery: 'heal', keys: KEYS, valueBytes: 150 });
  try {
    const r = await runCluster({
      cluster: handle.cluster, clients: 4, durationMs: seconds * 1000, workload: 'taobench', keys: KEYS, seed: 13,
      nemesis: { node: 1, atMs: seconds * 300, restartAfterMs: seconds * 100, duringRecovery: false, seed: 13 },
      finalReads: true, healthyTimeoutMs: 30_000,
    });
    const historyPath = join(dir, 'history.edn');
    writeFileSync(historyPath, toEdn(r.history.events));
    const lincheck = await heal(['lincheck', historyPath, '--model', 'heal', '--json']);
    const kill = r.nemesis.find((a) => a.what === 'kill');
    return { r, lincheck, views: readViews(dir), kill };
  } finally {
    await handle.stop();
  }
}

const cases: [string, boolean, () => Launcher, number][] = [
  ['the fake cluster', true, () => fakeLauncher(), 2],
  ['heal cluster (real processes)', hasCluster, () => processLauncher(join(root, 'bin/heal.mjs')), 10],
];

describe.each(cases)('judged run against %s', (name, available, launcher, seconds) => {
  it.skipIf(!available)(
    `${seconds} s of load, node 1 killed and restarted: linearizable, no acknowledged write lost, the node promoted${available ? '' : ' [skipped: heal cluster (cli/commands/cluster.ts) is not in this tree yet]'}`,
    async () => {
      const { r, lincheck, views } = await judgedRun(name.replace(/\W+/g, '-'), launcher(), seconds);
      expect(r.nemesis.map((a) => a.what)).toEqual(['kill', 'restart']);
      expect(r.nemesisError).toBeUndefined();
      expect(r.load.summary.ok).toBeGreaterThan(50);
      expect(r.healthyMs).toBeDefined();
      const { restart, promote } = recoveryViews(views, 1);
      expect(restart).toBeDefined();
      expect(promote).toBeDefined();
      expect(r.finalReads).toBe(KEYS);
      expect(r.lostWrites).toEqual([]);
      expect(lincheck.stderr).toBe('');
      expect(lincheck.code).toBe(0);
      expect(JSON.parse(lincheck.stdout.trim().split('\n').at(-1)!).linearizable).toBe(true);
    },
    120_000,
  );
});
