/**
 * The command line itself, in-process: no command, --version, flags that do not apply,
 * repeated or negative values, the worker cap, unprintable characters in messages, and
 * the properties an 'ok' run names.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../checker/load-model.ts';
import { main, usage } from '../../cli/main.ts';
import { MODELS } from '../../cli/models/index.ts';
import { captureConsole } from './capture-console.ts';

const { out, err } = captureConsole();

const never = join(tmpdir(), 'heal-command-line-never');

describe('heal with no command or --version', () => {
  it('no arguments: the help on stderr, exit 2 (a usage error)', async () => {
    expect(await main([])).toBe(2);
    expect(err.join('\n')).toBe(usage());
    expect(out).toEqual([]);
  });
  it('--version prints the package version, exit 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await main(['--version'])).toBe(0);
    expect(out).toEqual([`heal ${pkg.version}`]);
  });
});

describe('heal check refuses what it would otherwise ignore or misread (exit 2)', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--walks', '5'], /^heal check: --walks 5: it counts random walks; it does not apply to --strategy bfs$/],
    [['--strategy', 'dfs', '--walks', '5'], /--walks 5: .*not apply to --strategy dfs/],
    // A plain run seeds its wide walks with --seed; once narrowed it has none to seed.
    [['--persistency', 'synch', '--seed', '3'], /^heal check: --seed 3: it seeds random walks, and this run has none \(--strategy bfs, no wide walks\)$/],
    [['--strategy', 'dfs', '--seed', '3'], /--seed 3: .*--strategy dfs/],
    [['--nodes', '3', '--nodes', '4'], /^heal check: --nodes given twice \('--nodes 3', then '--nodes 4'\): give it once$/],
    [['--json', '--json'], /--json given twice/],
    [['--nodes', '-1'], /^heal check: --nodes: expected an integer from 2 to 15, got '-1'$/],
    [['--max-states', '-5'], /^heal check: --max-states: expected an integer >= 1, got '-5'$/],
    [['--time-limit', '-0.5'], /^heal check: --time-limit: expected a positive number, got '-0.5'$/],
    [['--workers', String(2 * availableParallelism() + 1)], new RegExp(`--workers ${2 * availableParallelism() + 1}: at most ${2 * availableParallelism()} on this machine \\(twice its ${availableParallelism()} cores`)],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      expect(await main(['check', ...args, '--out', never])).toBe(2);
      expect(err.join('\n')).toMatch(message);
      expect(err.join('\n')).not.toMatch(/ambiguous|Did you forget/);
      expect(out).toEqual([]);
    });
  }
  it('--seed and --walks with --strategy random are accepted', async () => {
    const code = await main(['check', '--persistency', 'synch', '--recovery', 'heal', '--strategy', 'random', '--seed', '3', '--walks', '2', '--json', '--out', never]);
    expect(code).toBe(3);
    expect(JSON.parse(out[out.length - 1]!)).toMatchObject({ result: 'incomplete', runs: [{ incompleteReason: 'walks' }] });
  });
});

describe('error messages escape control and bidi characters', () => {
  it('an ANSI escape and a right-to-left override in a flag value are shown escaped', async () => {
    expect(await main(['check', '--persistency', '\x1b[2Jevil\u202etxt.json', '--out', never])).toBe(2);
    const text = err.join('\n');
    expect(text).toContain("got '\\x1b[2Jevil\\u202etxt.json'");
    expect(text).not.toMatch(/[\x1b\u202e]/);
  });
  it('an unknown command with a carriage return', async () => {
    expect(await main(['ch\reck'])).toBe(2);
    expect(err.join('\n')).toContain("unknown command 'ch\\x0deck'");
  });
});

describe('an ok run names the properties it checked', () => {
  const config = { nodes: 3, keys: 1, persistency: 'synch', recovery: 'heal', writes: 1, reads: 0, scopes: 0, crashes: 0, duplicates: false, mutant: null };
  const args = ['check', '--persistency', 'synch', '--recovery', 'heal', '--writes', '1', '--reads', '0', '--crashes', '0', '--out', never];

  it('in the JSON report, per run', async () => {
    const expected = (await loadModel(MODELS.heal!.refFor(config))).properties.map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await main([...args, '--json'])).toBe(0);
    const report = JSON.parse(out[out.length - 1]!) as { result: string; runs: { properties: string[] }[] };
    expect(report.result).toBe('ok');
    expect(report.runs[0]!.properties).toEqual(expected);
  });
  it('in the text summary', async () => {
    const expected = (await loadModel(MODELS.heal!.refFor(config))).properties.map((p) => p.id);
    expect(await main(args)).toBe(0);
    expect(out.join('\n')).toContain(`all properties hold in every state explored: ${expected.join(', ')}`);
  });
});
