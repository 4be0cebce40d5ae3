/**
 * `heal cluster` on the command line: --help, bad input named and refused with exit 2
 * before anything starts, a folder that already holds a cluster refused, and a real
 * start that prints where everything listens (--json) and stops on SIGTERM, leaving DIR.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureConsole } from '../cli/capture-console.ts';
import { ensureBuilt, tempDir } from './harness.ts';

const captured = captureConsole();

describe('heal cluster usage', () => {
  it('--help lists the options and exits 0', async () => {
    expect(await main(['cluster', '--help'])).toBe(0);
    expect(captured.out.join('\n')).toMatch(/--persistency P[\s\S]*--recovery R[\s\S]*--value-bytes B/);
  });

  it.each([
    [['cluster'], /--data: required/],
    [['cluster', '--data', 'x', '--nodes', '1'], /--nodes: expected an integer from 2 to 15, got '1'/],
    [['cluster', '--data', 'x', '--persistency', 'weak'], /--persistency/],
    [['cluster', '--data', 'x', '--value-bytes', '4'], /--value-bytes: expected an integer from 8/],
    [['cluster', '--data', 'x', '--bogus'], /unknown option '--bogus'/],
  ])('%j exits 2 naming the flag', async (argv, message) => {
    expect(await main(argv)).toBe(2);
    expect(captured.err.join('\n')).toMatch(message);
  });

  it('refuses a folder that already holds a cluster', async () => {
    const dir = tempDir('cli-exists');
    writeFileSync(join(dir, 'cluster.json'), '{}');
    expect(await main(['cluster', '--data', dir])).toBe(2);
    expect(captured.err.join('\n')).toMatch(/holds a cluster already/);
  });
});

it('starts, prints cluster.json, and stops on SIGTERM leaving its folder', async () => {
  await ensureBuilt();
  const dir = join(tempDir('cli-run'), 'c');
  mkdirSync(dir, { recursive: true });
  const bin = fileURLToPath(new URL('../../bin/heal.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin, 'cluster', '--data', join(dir, 'x'), '--keys', '4', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => ((out += d.toString()), out.includes('\n') && resolve())));
  const info = JSON.parse(out.trim()) as { nodes: { clientPort: number }[]; control: { port: number } };
  expect(info.nodes).toHaveLength(3);
  expect(JSON.parse(readFileSync(join(dir, 'x', 'cluster.json'), 'utf8'))).toEqual(info);
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.once('exit', r));
  expect(code).toBe(0);
  expect(existsSync(join(dir, 'x', 'node-0', 'events.jsonl'))).toBe(true);
}, 30_000);
