import { describe, expect, it } from 'vitest';
import { heal } from './run-heal.ts';

describe('--help', () => {
  it('heal check --help lists every flag of the CLI contract, exit 0', async () => {
    const run = await heal(['check', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--model', '--persistency', '--recovery', '--nodes', '--keys', '--writes', '--reads', '--scopes', '--crashes',
      '--strategy', '--seed', '--max-states', '--max-depth', '--time-limit', '--workers', '--symmetry', '--mutant',
      '--json', '--max-version', '--duplicates', '--memory-limit', '--out', '--swarm',
    ]) {
      expect(run.stdout, flag).toContain(flag);
    }
  });
  it('heal replay --help, exit 0', async () => {
    const run = await heal(['replay', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: heal replay <trace.json> \[--json\]/);
  });
});
