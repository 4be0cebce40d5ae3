import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heal } from './run-heal.ts';

const dir = mkdtempSync(join(tmpdir(), 'heal-cli-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('heal check rejects bad flags with exit 2 and a message naming the flag', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--bogus'], /unknown option '--bogus'/],
    [['--nodes', 'abc'], /--nodes: expected an integer from 2 to 15, got 'abc'/],
    [['--nodes', '1'], /--nodes: expected an integer from 2 to 15, got '1'/],
    [['--writes', '1.5'], /--writes: expected an integer from 0 to 64, got '1.5'/],
    [['--strategy', 'astar'], /--strategy: expected one of bfs, dfs, random, got 'astar'/],
    [['--persistency', 'weak'], /--persistency: expected one of synch, strict, renf, scope, eventual, all, got 'weak'/],
    [['--recovery', 'magic'], /--recovery: expected one of heal, fullcopy, all, got 'magic'/],
    [['--time-limit', '-3'], /--time-limit/],
    [['--model', 'paxos'], /--model: unknown model 'paxos' \(expected one of: heal, hermes-tla\)/],
    [['--max-version', '2'], /--max-version applies to --model hermes-tla, not to --model heal/],
    [['--model', 'hermes-tla', '--crashes', '1'], /--crashes applies to --model heal, not to --model hermes-tla/],
    [['--persistency', 'synch', '--scopes', '2'], /--scopes: scope ends exist only under --persistency scope/],
    [['--nodes'], /--nodes/],
    [['extra'], /unexpected argument/],
    [['--workers', '2', '--strategy', 'dfs'], /--workers 2: several workers explore breadth-first only, not --strategy dfs/],
    [['--symmetry', '--model', 'hermes-tla', '--nodes', '2'], /--symmetry: model 'hermes-tla' has no sound symmetry reduction/],
  ];
  cases.forEach(([args, message], i) => {
    it(`heal check ${args.join(' ')}`, async () => {
      const out = join(dir, `never-${i}`);
      const run = await heal(['check', ...args, '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      expect(existsSync(out), 'nothing written').toBe(false);
    });
  });

  it('refuses an --out that is a file, before exploring anything', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const run = await heal(['check', '--out', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out: '.*a-file' exists and is not a directory/);
  });
});

describe.concurrent('heal replay rejects bad trace files with exit 2, naming the file and field', () => {
  const write = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const valid = {
    formatVersion: 1,
    toolVersion: '0.1.0',
    model: 'hermes-tla',
    config: { nodes: 3, maxVersion: 1 },
    mutant: null,
    property: 'HConsistent',
    message: 'x',
    foundBy: { strategy: 'bfs', seed: null, shrunkFrom: null },
    initialIndex: 0,
    actions: [],
    steps: [],
  };

  it('no file given', async () => {
    const run = await heal(['replay']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/expected exactly one trace file, got 0/);
  });
  it('a missing file', async () => {
    const run = await heal(['replay', join(dir, 'nope.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nope\.json: cannot read trace file \(ENOENT\)/);
  });
  it('not JSON', async () => {
    const run = await heal(['replay', write('garbage.json', '{ nope')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/garbage\.json: not valid JSON/);
  });
  it('a field of the wrong type', async () => {
    const run = await heal(['replay', write('typed.json', { ...valid, initialIndex: 'first' })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/typed\.json: field 'initialIndex'/);
  });
  it('an unknown model', async () => {
    const run = await heal(['replay', write('model.json', { ...valid, model: 'paxos' }), '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/model\.json: field 'model': unknown model 'paxos'/);
    expect(run.stdout).toBe('');
  });
  it('a configuration the model rejects', async () => {
    const run = await heal(['replay', write('config.json', { ...valid, config: { nodes: 99, maxVersion: 1 } })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.json: field 'config': the hermes-tla model rejects it .*nodes/);
  });
  it('an initial state the model does not have', async () => {
    const run = await heal(['replay', write('initial.json', { ...valid, initialIndex: 5 })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/initial\.json: field 'initialIndex': expected less than 1/);
  });
});
