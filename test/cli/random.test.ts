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
