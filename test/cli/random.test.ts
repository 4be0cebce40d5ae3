/** A random-walk counterexample is shrunk before it is saved, records its seed, and replays. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadTrace } from '../../checker/trace/io.ts';
import { heal, lastJson } from './run-heal.ts';

const dir = mkdtempSync(join(tmpdir(), 'heal-cli-random-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('heal check --strategy random --seed 3 on a mutant: shrunk trace, same result twice, replays', async () => {
  const args = ['check', '--mutant', 'synch-ack-before-persist', '--strategy', 'random', '--seed', '3', '--json', '--out', dir];
  const first = await heal(args);
  expect(first.code, first.stderr).toBe(1);
  const run = (lastJson(first) as { runs: Array<{ result: string; property?: string; trace?: string }> }).runs[0];
  expect(run).toMatchObject({ result: 'violation', property: 'DUR-SYNCH' });
  const trace = loadTrace(run.trace!);
  expect(trace.foundBy.strategy).toBe('random');
  expect(trace.foundBy.seed).toBe(3);
  expect(trace.foundBy.shrunkFrom).toBeGreaterThanOrEqual(trace.actions.length);
  const replay = await heal(['replay', run.trace!, '--json']);
  expect(replay.code).toBe(0);
  expect(JSON.parse(replay.stdout)).toMatchObject({ reproduced: true, steps: trace.actions.length });
  // Same seed, same walk, same saved trace.
  const second = await heal(args);
  expect(second.code).toBe(1);
  expect(loadTrace(run.trace!)).toEqual(trace);
});

it('heal check --strategy random --swarm finds the stale SCOPE_ACK (F14 mutant) that uniform walks miss; same seed, same trace', async () => {
  const bounds = ['--persistency', 'scope', '--recovery', 'heal', '--scopes', '2', '--writes', '2', '--reads', '0', '--crashes', '0', '--duplicates'];
  const args = ['check', '--mutant', 'scope-ack-unmatched', ...bounds, '--strategy', 'random', '--swarm', '--walks', '20000', '--seed', '1', '--json', '--out', dir];
  const first = await heal(args);
  expect(first.code, first.stderr).toBe(1);
  const run = (lastJson(first) as { runs: Array<{ result: string; property?: string; trace?: string }> }).runs[0];
  expect(run).toMatchObject({ result: 'violation', property: 'SCOPE-DURABLE' });
  const trace = loadTrace(run.trace!);
  expect(trace.foundBy).toMatchObject({ strategy: 'random', seed: 1 });
  const replay = await heal(['replay', run.trace!, '--json']);
  expect(JSON.parse(replay.stdout)).toMatchObject({ reproduced: true, steps: trace.actions.length });
  const second = await heal(args);
  expect(second.code).toBe(1);
  expect(loadTrace(run.trace!)).toEqual(trace);
  // Uniform walks with the same seed and budget of walks find nothing.
  const uniform = await heal(args.filter((a) => a !== '--swarm').map((a) => (a === '20000' ? '2000' : a)));
  expect(uniform.code, uniform.stderr).toBe(3);
}, 120_000);

it('--swarm needs --strategy random', async () => {
  const run = await heal(['check', '--swarm', '--persistency', 'synch', '--recovery', 'heal']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--swarm: swarm walks are a random strategy; add --strategy random/);
});
