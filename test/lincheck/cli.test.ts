import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { MODELS } from '../../checker/lincheck/models.ts';
import { longRegisterHistory } from './long-history.ts';
import { captureConsole } from '../cli/capture-console.ts';

const { out, err } = captureConsole();

const dir = mkdtempSync(join(tmpdir(), 'lincheck-cli-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const lastJson = () => JSON.parse(out[out.length - 1]) as { linearizable: boolean | null; operations: number; partitions: number; seconds: number };

const stale = file(
  'stale.edn',
  `[{:process 0 :type :invoke :f :write :value 1}
 {:process 0 :type :ok :f :write :value 1}
 {:process 1 :type :invoke :f :read :value nil}
 {:process 1 :type :ok :f :read :value 0}]`,
);

describe('heal lincheck', () => {
  it('exit 0 and the JSON summary for a linearizable history', async () => {
    const path = file('ok.json', JSON.stringify([
      { process: 0, type: 'invoke', f: 'write', value: 1 },
      { process: 1, type: 'invoke', f: 'read', value: null },
      { process: 1, type: 'ok', f: 'read', value: 1 },
      { process: 0, type: 'ok', f: 'write', value: 1 },
    ]));
    expect(await main(['lincheck', path, '--json'])).toBe(0);
    expect(lastJson()).toMatchObject({ linearizable: true, operations: 2, partitions: 1 });
    expect(typeof lastJson().seconds).toBe('number');
  });

  it('exit 1 with an explanation naming the operation that cannot be placed', async () => {
    expect(await main(['lincheck', stale, '--json'])).toBe(1);
    expect(lastJson()).toMatchObject({ linearizable: false, operations: 2 });
    const text = out.join('\n');
    expect(text).toMatch(/operation that cannot be placed: process 1: read\(\) -> 0\s+\[lines 3-4\]/);
    expect(text).toMatch(/from which read\(\) -> 0 is impossible/);
  });

  it('--initial changes the verdict: a register starting at 0 may be read as 0', async () => {
    const path = file('initial.edn', '{:process 1 :type :invoke :f :read :value nil}\n{:process 1 :type :ok :f :read :value 0}');
    expect(await main(['lincheck', path, '--json'])).toBe(1);
    expect(await main(['lincheck', path, '--initial', '0', '--json'])).toBe(0);
    expect(await main(['lincheck', path, '--model', 'heal', '--json'])).toBe(0);
  });

  it('--html writes one self-contained page, atomically', async () => {
    const html = join(dir, 'view.html');
    expect(await main(['lincheck', stale, '--html', html])).toBe(1);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg');
    expect(page).toContain('class="op blocked window"');
    // Nothing fetched: the one script is inline (it scrolls the failure into view), links stay in the page.
    expect(page).not.toMatch(/<link|<[^>]*\ssrc=|url\(/);
    for (const m of page.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#/);
    expect(page).toContain('href="#failing-op"');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--html on a linearizable history decided without search: exit 0 and a page (it was an internal error, exit 4)', async () => {
    const path = file('distinct.json', JSON.stringify(longRegisterHistory({ ops: 200, seed: 5 })));
    const html = join(dir, 'distinct.html');
    expect(await main(['lincheck', path, '--html', html])).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('<span class="verdict">linearizable</span>');
  });

  it('exit 3 (unknown) when the time budget runs out', async () => {
    // 40 concurrent writes then an impossible read: every subset of writes is a distinct configuration
    const lines: string[] = [];
    for (let p = 0; p < 40; p++) lines.push(`{:process ${p} :type :invoke :f :write :value ${p}}`);
    for (let p = 0; p < 40; p++) lines.push(`{:process ${p} :type :ok :f :write :value ${p}}`);
    lines.push('{:process 99 :type :invoke :f :read :value nil}', '{:process 99 :type :ok :f :read :value 1000}');
    for (let p = 0; p < 40; p++) lines.push(`{:process ${100 + p} :type :invoke :f :write :value ${p}}`);
    for (let p = 0; p < 40; p++) lines.push(`{:process ${100 + p} :type :ok :f :write :value ${p}}`);
    lines.push('{:process 98 :type :invoke :f :read :value nil}', '{:process 98 :type :ok :f :read :value 3}');
    const path = file('hard.edn', lines.join('\n'));
    const started = performance.now();
    expect(await main(['lincheck', path, '--timeout', '0.3', '--json'])).toBe(3);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(lastJson().linearizable).toBeNull();
  });

  it('exit 2 with one clear message for bad input, and nothing written', async () => {
    const html = join(dir, 'never.html');
    const bad = file('bad.edn', '{:process 0 :type :invoke :f :read :value nil}\n{:process 1 :type :ok :f :read :value 3}');
    expect(await main(['lincheck', bad, '--html', html])).toBe(2);
    expect(err.join('\n')).toMatch(/bad\.edn:2: a ok read for process 1 with no invocation before it/);
    expect(existsSync(html)).toBe(false);
    expect(await main(['lincheck', join(dir, 'missing.edn')])).toBe(2);
    expect(await main(['lincheck', stale, '--model', 'queue'])).toBe(2);
    expect(err.join('\n')).toMatch(/--model: expected one of register, cas-register, kv, heal, mutex, set, unordered-queue, fifo-queue, multi-register; got 'queue'/);
    expect(await main(['lincheck', stale, '--timeout', '-1'])).toBe(2);
    expect(await main(['lincheck', stale, '--format', 'xml'])).toBe(2);
    expect(await main(['lincheck', stale, '--model', 'kv', '--initial', '3'])).toBe(2);
    expect(await main(['lincheck'])).toBe(2);
  });
});

describe('heal lincheck: output file, budgets and failures', () => {
  it('--html refuses to overwrite the input, however it is named, before any work', async () => {
    const input = file('self.edn', readFileSync(stale, 'utf8'));
    const before = readFileSync(input, 'utf8');
    expect(await main(['lincheck', input, '--html', input])).toBe(2);
    expect(await main(['lincheck', input, '--html', join(dir, '.', 'self.edn')])).toBe(2);
    expect(err.join('\n')).toMatch(/--html .*self\.edn: that is the input history; refusing to overwrite it/);
    expect(readFileSync(input, 'utf8')).toBe(before);
    expect(out).toEqual([]); // no verdict printed: the path was checked first
  });

  it('--html into a missing folder or onto a folder fails before the verdict, leaving nothing behind', async () => {
    expect(await main(['lincheck', stale, '--html', join(dir, 'no-such-folder', 'x.html')])).toBe(2);
    expect(err.join('\n')).toMatch(/cannot write there: the folder .*no-such-folder does not exist/);
    expect(await main(['lincheck', stale, '--html', dir])).toBe(2);
    expect(err.join('\n')).toMatch(/is a folder/);
    expect(out).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--html leaves no temporary file when the history is bad input', async () => {
    const bad = file('bad2.edn', '{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :ok :f :write :value 3}');
    expect(await main(['lincheck', bad, '--html', join(dir, 'bad2.html')])).toBe(2);
    expect(existsSync(join(dir, 'bad2.html'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('exit 3 naming the memory budget when --memory-limit is too small', async () => {
    const lines: string[] = [];
    for (let p = 0; p < 40; p++) lines.push(`{:process ${p} :type :invoke :f :write :value ${p}}`);
    for (let p = 0; p < 40; p++) lines.push(`{:process ${p} :type :ok :f :write :value ${p}}`);
    lines.push('{:process 99 :type :invoke :f :read :value nil}', '{:process 99 :type :ok :f :read :value 1000}');
    const path = file('hard-memory.edn', lines.join('\n'));
    expect(await main(['lincheck', path, '--memory-limit', '1', '--json'])).toBe(3);
    expect(out.join('\n')).toMatch(/unknown: the memory budget \(--memory-limit 1 MB\) ran out/);
    expect(lastJson().linearizable).toBeNull();
    expect(await main(['lincheck', path, '--memory-limit', '0'])).toBe(2);
  });

  it('an allocation failure is exit 3 (unknown), any other internal error exit 4, never 1', async () => {
    const create = MODELS.register.create;
    const failing = (error: Error) =>
      vi.spyOn(MODELS.register, 'create').mockImplementation((initial) => {
        const model = create(initial);
        return { ...model, ops: { ...model.ops, read: { ...model.ops.read, step: () => { throw error; } } } };
      });
    failing(new RangeError('Array buffer allocation failed'));
    expect(await main(['lincheck', stale, '--model', 'register'])).toBe(3);
    expect(out.join('\n')).toMatch(/unknown: out of memory/);
    vi.mocked(MODELS.register.create).mockRestore();
    failing(new TypeError('boom'));
    expect(await main(['lincheck', stale, '--model', 'register'])).toBe(4);
    expect(err.join('\n')).toMatch(/internal error, no verdict .*TypeError: boom/);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('error messages for bad events say what was expected and what was found', async () => {
    const bad = file('shape.json', '[\n{"process": 0, "type": "invoke", "f": "read", "value": null},\n{"process": 0, "type": "done", "f": "read"}\n]');
    expect(await main(['lincheck', bad])).toBe(2);
    expect(err.join('\n')).toMatch(/shape\.json:3: field 'type': expected invoke, ok, fail or info, got "done"/);
    const syntax = file('syntax.json', '[\n  {"process": 0 "type": "invoke"}\n]');
    expect(await main(['lincheck', syntax])).toBe(2);
    expect(err.join('\n')).toMatch(/syntax\.json:2:17: expected ',' or '}' after the value of "process", got '"'/);
    expect(err.join('\n')).not.toMatch(/Invalid input/);
  });
});

describe('the examples/ histories', () => {
  const examples = join(dirname(fileURLToPath(import.meta.url)), '../../examples');
  for (const [name, exit] of [
    ['cas-register.edn', 0],
    ['stale-read.json', 1],
    ['etcd.log', 0],
  ] as const) {
    it(`${name} exits ${exit}`, async () => {
      expect(await main(['lincheck', join(examples, name)])).toBe(exit);
    });
  }
});

describe('heal lincheck --semantics', () => {
  const text = `{:process 0 :type :invoke :f :write :value 1}
{:process 0 :type :ok :f :write :value 1}
{:process 1 :type :invoke :f :read :value 4}
{:process 1 :type :ok :f :read :value nil}`;

  it('Jepsen EDN is read as Knossos reads it: a read invoked with a value, then a read of nil, is accepted', async () => {
    const path = file('knossos.edn', text);
    expect(await main(['lincheck', path, '--model', 'cas-register', '--initial', '0'])).toBe(0);
    expect(out.join('\n')).toMatch(/format jepsen-edn, knossos semantics/);
  });

  it('--semantics porcupine reads the same file as Porcupine would, and other values are refused', async () => {
    const path = file('porcupine.edn', text);
    expect(await main(['lincheck', path, '--model', 'cas-register', '--semantics', 'porcupine'])).toBe(2);
    expect(err.join('\n')).toMatch(/read invocation value 4 has the wrong shape: expected nil/);
    expect(await main(['lincheck', path, '--semantics', 'jepsen'])).toBe(2);
    expect(err.join('\n')).toMatch(/--semantics: expected porcupine or knossos; got 'jepsen'/);
  });
});

describe('heal lincheck with the Knossos models', () => {
  it('multi-register takes --initial as a JSON or EDN map; other models refuse a map', async () => {
    const path = file('txn.edn', `{:process 0 :type :invoke :f :txn :value [[:read :x nil]]}
{:process 0 :type :ok :f :txn :value [[:read :x 0]]}`);
    expect(await main(['lincheck', path])).toBe(1); // x starts nil
    expect(out.join('\n')).toMatch(/model multi-register/);
    expect(await main(['lincheck', path, '--initial', '{"x": 0}'])).toBe(0);
    expect(await main(['lincheck', path, '--initial', '{:x 0}'])).toBe(0);
    expect(await main(['lincheck', stale, '--model', 'register', '--initial', '{:x 0}'])).toBe(2);
    expect(err.join('\n')).toMatch(/the register model's initial value is one value, not a map/);
  });

  it('a FIFO queue that dequeues out of order is not linearizable; as an unordered queue it is', async () => {
    const path = file('queue.edn', `[{:process 0 :type :invoke :f :enqueue :value 1}
{:process 0 :type :ok :f :enqueue :value 1}
{:process 0 :type :invoke :f :enqueue :value 2}
{:process 0 :type :ok :f :enqueue :value 2}
{:process 1 :type :invoke :f :dequeue :value nil}
{:process 1 :type :ok :f :dequeue :value 2}]`);
    expect(await main(['lincheck', path, '--model', 'fifo-queue'])).toBe(1);
    expect(await main(['lincheck', path, '--model', 'unordered-queue'])).toBe(0);
  });
});

describe('heal lincheck --independent', () => {
  it('checks each key of [k v] tuples as its own register', async () => {
    const path = file('independent.edn', `[{:process 0 :type :invoke :f :write :value [1 1]}
{:process 0 :type :ok :f :write :value [1 1]}
{:process 1 :type :invoke :f :write :value [2 5]}
{:process 1 :type :ok :f :write :value [2 5]}
{:process 2 :type :invoke :f :read :value [1 nil]}
{:process 2 :type :ok :f :read :value [1 1]}]`);
    expect(await main(['lincheck', path, '--independent', '--json'])).toBe(0);
    expect(lastJson()).toMatchObject({ linearizable: true, partitions: 2 });
    expect(await main(['lincheck', path])).toBe(2);
  });
});

describe('heal lincheck on 100 clients', () => {
  it('names the stale read of a 4,000-operation history no search could decide', async () => {
    const events = longRegisterHistory({ ops: 4_000, clients: 100, seed: 4, staleAt: 2_000 });
    const path = file('c100.json', JSON.stringify(events));
    expect(await main(['lincheck', path, '--timeout', '30'])).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/1 decided without search: distinct written values/);
    expect(text).toMatch(/not linearizable: a stale read or a lost write/);
  }, 60_000);
});

describe('heal lincheck on hostile input', () => {
  it('values nested past the stack are bad input (exit 2), not an internal error', async () => {
    const path = file('deep.json', '['.repeat(200_000) + ']'.repeat(200_000));
    expect(await main(['lincheck', path])).toBe(2);
    expect(err.join('\n')).toMatch(/values nest too deeply to read/);
  });
});
