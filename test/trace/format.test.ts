import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, configHash } from '../../checker/trace/canonical-json.ts';
import { loadTrace, saveTrace, TraceFileError, toolVersion, traceFileName } from '../../checker/trace/io.ts';

const sample = {
  model: 'toy',
  config: { max: 4, limit: 3 },
  mutant: null,
  property: 'A-SMALL',
  message: 'a reached 3 (limit 3)',
  foundBy: { strategy: 'bfs' as const, seed: null, shrunkFrom: null },
  initialIndex: 0,
  actions: [{ kind: 'inc', counter: 'a' }, { kind: 'inc', counter: 'a' }, { kind: 'inc', counter: 'a' }],
  steps: ['increment a', 'increment a', 'increment a'],
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heal-trace-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('canonical JSON and config hash', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });
  it('hashes the same configuration to the same name regardless of key order', () => {
    expect(configHash('heal', { nodes: 3, keys: 1 })).toBe(configHash('heal', { keys: 1, nodes: 3 }));
    expect(configHash('heal', { nodes: 3, keys: 1 })).toMatch(/^[0-9a-f]{12}$/);
  });
  it('gives different names to different models, configs or mutants', () => {
    const base = configHash('heal', { nodes: 3, mutant: null });
    expect(configHash('heal', { nodes: 4, mutant: null })).not.toBe(base);
    expect(configHash('heal', { nodes: 3, mutant: 'x' })).not.toBe(base);
    expect(configHash('hermes-tla', { nodes: 3, mutant: null })).not.toBe(base);
  });
});

describe('saving and loading', () => {
  it('round-trips, names the file <property>-<hash>.json and leaves no temporary file', () => {
    const path = saveTrace(dir, sample);
    expect(path).toBe(join(dir, traceFileName('A-SMALL', 'toy', sample.config)));
    expect(readdirSync(dir)).toEqual([`A-SMALL-${configHash('toy', sample.config)}.json`]);
    const loaded = loadTrace(path);
    expect(loaded).toEqual({ formatVersion: 1, toolVersion: toolVersion(), ...sample });
    expect(toolVersion()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('writes the same bytes when the same trace is saved twice (overwrites, one file)', () => {
    const path = saveTrace(dir, sample);
    const first = readFileSync(path, 'utf8');
    saveTrace(dir, { ...sample, config: { limit: 3, max: 4 } });
    expect(readFileSync(path, 'utf8')).toBe(first);
    expect(readdirSync(dir)).toHaveLength(1);
    // One action per line keeps diffs of traces readable.
    expect(first).toContain('\n    {"counter":"a","kind":"inc"},\n');
  });

  it('refuses to save a trace whose steps do not match its actions', () => {
    expect(() => saveTrace(dir, { ...sample, steps: ['one'] })).toThrow(/steps/);
    expect(readdirSync(dir)).toEqual([]);
  });

  const broken: Array<[string, (t: Record<string, unknown>) => unknown, RegExp]> = [
    ['invalid JSON', () => '{"formatVersion": 1,', /not valid JSON/],
    ['a newer format', (t) => ({ ...t, formatVersion: 2 }), /field 'formatVersion': expected 1, got 2/],
    ['no format version', (t) => ({ ...t, formatVersion: undefined }), /field 'formatVersion': expected 1, got nothing/],
    ['no actions', (t) => ({ ...t, actions: undefined }), /field 'actions'/],
    ['actions not a list', (t) => ({ ...t, actions: 'inc' }), /field 'actions'/],
    ['a negative initial index', (t) => ({ ...t, initialIndex: -1 }), /field 'initialIndex'/],
    ['a bad strategy', (t) => ({ ...t, foundBy: { strategy: 'magic', seed: null, shrunkFrom: null } }), /field 'foundBy.strategy'/],
    ['steps out of step with actions', (t) => ({ ...t, steps: [] }), /field 'steps': expected one line per action \(3\), got 0/],
    ['an empty property', (t) => ({ ...t, property: '' }), /field 'property'/],
  ];
  for (const [what, mutate, message] of broken) {
    it(`rejects a file with ${what}, naming the file and the field`, () => {
      const good = JSON.parse(readFileSync(saveTrace(dir, sample), 'utf8')) as Record<string, unknown>;
      const file = join(dir, 'bad.json');
      const content = mutate(good);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      let error: unknown;
      try {
        loadTrace(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TraceFileError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('names the file when it cannot be read', () => {
    expect(() => loadTrace(join(dir, 'absent.json'))).toThrow(/absent\.json: cannot read trace file \(ENOENT\)/);
  });
});
