/** heal conform and heal replay --export-log as a user runs them: output, files, exit codes. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heal, lastJson } from '../cli/run-heal.ts';

const tmp = mkdtempSync(join(tmpdir(), 'heal-conform-'));

describe('heal conform', () => {
  it('the example of a correct run conforms (exit 0) and gives both verdicts', async () => {
    const r = await heal(['conform', 'examples/conform/synch-heal-crash.jsonl']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('properties: every property holds at every step of that run');
    expect(r.stdout).toMatch(/linearizability of its client history \(3 operations\): linearizable/);
    expect(r.stdout).toMatch(/verdict: conforms$/m);
  });

  it('the example of an implementation that ACKs before persisting is rejected (exit 1) with a replayable trace', async () => {
    const out = join(tmp, 'traces');
    const r = await heal(['conform', 'examples/conform/ack-before-persist.jsonl', '--out', out, '--json']);
    expect(r.code).toBe(1);
    const report = lastJson(r) as { verdict: string; rejection: { line: number; event: string; rules: string[]; trace: string } };
    expect(report.verdict).toBe('does-not-conform');
    expect(report.rejection.line).toBe(14);
    expect(report.rejection.event).toBe('n1 sends ACK(k0, ts 1.2, e0) to n2');
    expect(report.rejection.rules).toContain('P-SYNCH-ACK');
    const replayed = await heal(['replay', report.rejection.trace]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('end of the run that matched the log');
    // The same log against the mutant that ACKs early: it conforms, and DUR-SYNCH fails on it.
    const own = await heal(['conform', 'examples/conform/ack-before-persist.jsonl', '--mutant', 'synch-ack-before-persist', '--out', out, '--json']);
    expect(own.code).toBe(1);
    expect((lastJson(own) as { violation: { property: string } }).violation.property).toBe('DUR-SYNCH');
  });

  it('bad input names the file and line (exit 2), and writes no trace', async () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, '{"node":0,"seq":1,"type":"invoke","op":"write","key":0,"value":1}\n{"node":0,"seq":2,"type":"send","msg":{"type":"INV","to":1,"ts":[1]}}\n');
    const out = join(tmp, 'none');
    const r = await heal(['conform', file, '--persistency', 'synch', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^heal conform: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: field 'msg\\.ts'`));
    expect(existsSync(out)).toBe(false);
    const noModel = await heal(['conform', 'examples/conform/synch-heal-crash.jsonl', '--persistency', 'nope']);
    expect(noModel.code).toBe(2);
    // A configuration the model refuses (model/heal.ts HealConfigError) is bad input too: here 21 nodes.
    const far = join(tmp, 'far.jsonl');
    writeFileSync(far, '{"node":20,"seq":1,"type":"invoke","op":"read","key":0}\n');
    const tooMany = await heal(['conform', far, '--persistency', 'synch', '--out', out]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/^heal conform: heal config: field 'nodes': /);
    expect(existsSync(out)).toBe(false);
  });

  it('--html writes a timeline: one lane per node, arrows from send to receive, the rejection in red', async () => {
    const page = join(tmp, 'timeline.html');
    const r = await heal(['conform', 'examples/conform/ack-before-persist.jsonl', '--out', join(tmp, 'h'), '--html', page]);
    expect(r.code).toBe(1);
    const html = readFileSync(page, 'utf8');
    for (const n of ['n0', 'n1', 'n2']) expect(html).toContain(`>${n}</text>`);
    expect(html).toContain('marker-end="url(#arrow)"');
    expect(html).toContain('line 14: no run produces');
    expect(html).toContain('sends ACK(k0, ts 1.2, e0) to n2');
  });

  it('a search bound reached before a verdict exits 3', async () => {
    const r = await heal(['conform', 'examples/conform/synch-heal-crash.jsonl', '--max-states', '5', '--out', join(tmp, 'b')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('search bound reached (--max-states 5)');
  });
});

describe('heal replay --export-log', () => {
  it('writes the run of a saved trace as a log that heal conform accepts under the trace\'s own model', async () => {
    const file = join(tmp, 'dur.jsonl');
    const r = await heal(['replay', 'traces/DUR-SYNCH-2d6c255f2c40.json', '--export-log', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote 14 events to /);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'meta', format: 'heal-event-log', persistency: 'synch' });
    expect(lines).toHaveLength(15);
    const c = await heal(['conform', file, '--mutant', 'synch-ack-before-persist', '--out', join(tmp, 'x')]);
    expect(c.stdout).toContain('the log conforms');
    expect(readdirSync(tmp).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('refuses a trace of another model (exit 2)', async () => {
    const hermes = join(tmp, 'hermes.json');
    const t = JSON.parse(readFileSync('traces/DUR-SYNCH-2d6c255f2c40.json', 'utf8'));
    writeFileSync(hermes, JSON.stringify({ ...t, model: 'hermes-tla', config: { nodes: 3, maxVersion: 2 }, mutant: null, actions: [], steps: [] }));
    const r = await heal(['replay', hermes, '--export-log', join(tmp, 'h.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('only runs of the heal model have an event log');
  });
});
