import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/heal.mjs', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface HealRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the real CLI as a user would, from the repository root; `env` adds variables. */
export function heal(args: string[], cwd = root, env: NodeJS.ProcessEnv = {}): Promise<HealRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last non-empty line of stdout, parsed: the --json contract. */
export function lastJson(run: HealRun): unknown {
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
