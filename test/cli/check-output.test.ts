import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heal } from './run-heal.ts';

const out = mkdtempSync(join(tmpdir(), 'heal-check-output-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('heal check without --json over several runs', () => {
  it('reports each run on stderr as it ends, then the table on stdout', async () => {
    const run = await heal(['check', '--recovery', 'heal', '--writes', '1', '--reads', '0', '--crashes', '0', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => /^\w+\/heal: /.test(l));
    expect(lines.map((l) => l.split(':')[0])).toEqual(['synch/heal', 'strict/heal', 'renf/heal', 'scope/heal', 'eventual/heal']);
    for (const line of lines) expect(line).toMatch(/: ok, [\d,]+ states, depth \d+, [\d.]+ s$/);
    expect(run.stdout).toMatch(/all properties hold in every state explored/);
  });
});
