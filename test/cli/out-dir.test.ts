/**
 * A counterexample is never lost to the disk: an --out that cannot take a trace is
 * refused before the search, a save that fails anyway prints the trace, and a killed
 * write's temporary is cleared by the next write of the same target.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { saveTrace, traceFileName } from '../../checker/trace/io.ts';
import { captureConsole } from './capture-console.ts';

const { out, err } = captureConsole({ stderrWrites: true });

const mutantRun = ['check', '--mutant', 'write-returns-early', '--persistency', 'eventual', '--recovery', 'heal', '--json'];

describe('heal check --out', () => {
  it('an unwritable --out is refused before any search (exit 2)', async () => {
    // /proc/self refuses writes even to root, where mode bits would not.
    expect(await main([...mutantRun, '--out', '/proc/self/heal-traces'])).toBe(2);
    expect(err.join('')).toMatch(/--out: '\/proc\/self' is not writable/);
    expect(out).toEqual([]);
  });

  it('a file where the directory should be is refused (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heal-out-'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(await main([...mutantRun, '--out', join(dir, 'file')])).toBe(2);
    expect(err.join('')).toMatch(/exists and is not a directory/);
  });

  it('a save that fails after the search prints the whole trace and still exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heal-out-'));
    // A non-empty directory under the trace's own name makes the final rename fail.
    const config = { nodes: 4, keys: 1, persistency: 'eventual', recovery: 'heal', writes: 1, reads: 2, scopes: 0, crashes: 0, duplicates: false, mutant: 'write-returns-early' };
    const target = join(dir, traceFileName('LIN', 'heal', config));
    mkdirSync(join(target, 'blocker'), { recursive: true });
    expect(await main([...mutantRun, '--out', dir])).toBe(1);
    const text = err.join('');
    expect(text).toMatch(/could not save the trace under .*; the 2 steps to LIN follow/);
    const printed = JSON.parse(text.split('\n').find((l) => l.startsWith('{"model"'))!) as { actions: unknown[]; property: string };
    expect(printed.property).toBe('LIN');
    expect(printed.actions).toHaveLength(2);
    const report = JSON.parse(out[out.length - 1]!) as { runs: { result: string; trace: string | null }[] };
    expect(report.runs[0]).toMatchObject({ result: 'violation', trace: null });
  });
});

describe('saveTrace', () => {
  it('clears the temporaries a killed write of the same target left behind, and only those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heal-tmp-'));
    const trace = { model: 'toy', config: { n: 1 }, mutant: null, property: 'P', message: 'm', foundBy: { strategy: 'bfs' as const, seed: null, shrunkFrom: null }, initialIndex: 0, actions: [], steps: [] };
    const name = traceFileName('P', 'toy', { n: 1 });
    writeFileSync(join(dir, `${name}.12345.tmp`), 'half');
    writeFileSync(join(dir, `other.json.12345.tmp`), 'someone else');
    const path = saveTrace(dir, trace);
    expect(existsSync(path)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([name, 'other.json.12345.tmp'].sort());
  });
});
