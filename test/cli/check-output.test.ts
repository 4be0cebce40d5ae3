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

describe('the plain heal check searches every combination again with duplicate delivery', () => {
  it('after the quick bounds, ten complete searches at 2 nodes and 2 writes with messages delivered again; none once narrowed', async () => {
    // --wide-walks 0 leaves the run plain (it narrows nothing) and skips the 40 s of walks.
    const run = await heal(['check', '--wide-walks', '0', '--json', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(report.redelivery.bounds).toBe('2 nodes, 1 key, 2 writes, 0 reads, 0 crashes, 2 scope ends under Scope');
    const runs: { persistency: string; recovery: string; result: string; distinctStates: number }[] = report.redelivery.runs;
    expect(runs.map((r) => `${r.persistency}/${r.recovery} ${r.result}`)).toEqual(report.runs.map((r: any) => `${r.persistency}/${r.recovery} ok`));
    // Scope's is F14's space with the fix in place (spec/properties.md, F14: 4,895 states).
    expect(runs.find((r) => r.persistency === 'scope')!.distinctStates).toBe(4895);
    expect(runs.reduce((n, r) => n + r.distinctStates, 0)).toBe(13_898);
    const narrowed = await heal(['check', '--persistency', 'synch', '--json', '--out', out]);
    expect(JSON.parse(narrowed.stdout.trim().split('\n').pop()!).redelivery).toBeUndefined();
  });
});
