/**
 * What only a real process shows: standard input, and a reader that has gone away
 * (`heal lincheck FILE | head -1`), whose EPIPE used to kill the process with exit
 * 1, "not linearizable", for a linearizable history.
 */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const heal = join(root, 'bin/heal.mjs');
const example = join(root, 'examples/cas-register.edn');

describe('heal lincheck as a process', () => {
  it('keeps the verdict exit code when stdout is closed before it writes', async () => {
    const child = spawn(process.execPath, [heal, 'lincheck', example, '--model', 'cas-register', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closing our end at once: every write the child makes meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
  }, 30_000);

  it("'-' reads the history from standard input, byte-order mark and all", () => {
    const history = '\ufeff[{"process":0,"type":"invoke","f":"write","value":1},{"process":0,"type":"ok","f":"write","value":1},' +
      '{"process":1,"type":"invoke","f":"read","value":null},{"process":1,"type":"ok","f":"read","value":2}]';
    const r = spawnSync(process.execPath, [heal, 'lincheck', '-'], { input: history, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^<stdin>: 2 operations/);
    expect(r.stdout).toMatch(/operation that cannot be placed: process 1: read\(\) -> 2/);
    expect(r.status).toBe(1);
  }, 30_000);
});
