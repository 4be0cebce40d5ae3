/**
 * Every history in Porcupine's test data, against the verdict Porcupine's own test
 * suite asserts (expected.tsv): the etcd logs with the cas-register model, the kv
 * histories with the kv model partitioned by key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../checker/history/index.ts';
import { checkEvents } from '../../checker/lincheck/check.ts';
import { SEQ_MODELS } from '../../spec/models/registry.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// PORCUPINE_DATA points elsewhere (e.g. from a git worktree); the default is the shared data folder beside the repository.
const dataDir = process.env.PORCUPINE_DATA ?? join(repoRoot, '../shared/data/porcupine');
const present = existsSync(join(dataDir, 'expected.tsv'));
const skipNote = `SKIPPED: Porcupine test data not found at ${dataDir} (set PORCUPINE_DATA to the folder holding expected.tsv)`;
if (!present) console.warn(skipNote);

// A skipped test named after the reason, so the reporter shows why 108 verdicts were not compared.
if (!present) it.skip(skipNote, () => {});

describe.skipIf(!present)('Porcupine test histories', () => {
  const rows = present
    ? readFileSync(join(dataDir, 'expected.tsv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t'))
    : [];

  it('expected.tsv lists the whole data set', () => {
    expect(rows.filter(([f]) => f.startsWith('jepsen/')).length).toBe(102);
    expect(rows.filter(([f]) => f.startsWith('kv/')).length).toBe(6);
  });

  for (const [file, expected, modelColumn] of rows) {
    it(`${file} is ${expected}`, () => {
      const modelName = modelColumn === 'kv' ? 'kv' : 'cas-register';
      const history = parseHistory(readFileSync(join(dataDir, file), 'utf8'), 'auto', file);
      expect(history.format).toBe(file.startsWith('kv/') ? 'jepsen-edn' : 'porcupine-etcd');
      const result = checkEvents(history.events, SEQ_MODELS[modelName].create(undefined), { source: history.source });
      expect(result.result).toBe(expected === 'linearizable' ? 'ok' : 'illegal');
      if (result.result === 'illegal') expect(result.explanation?.minimal).toBe(true);
    });
  }
});
