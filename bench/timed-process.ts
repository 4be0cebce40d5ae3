/**
 * Runs one checker as a process and reads its JSON verdict line, with a wall-clock
 * guard and a resident-memory guard (sampled from /proc): a checker past either is
 * killed and reported as such, so that one cell of a table cannot take the machine.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessRun {
  /** The verdict line's fields, when the process printed one. */
  readonly json?: { linearizable: boolean | null; seconds: number };
  readonly code: number | null;
  readonly wallSeconds: number;
  readonly peakMB: number;
  /** Set when the guard stopped it. */
  readonly killed?: 'time' | 'memory';
  readonly stderr: string;
}

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export function timedProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, guard: { seconds: number; memoryMB: number }): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakMB = 0;
    let killed: 'time' | 'memory' | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setInterval(() => {
      const mb = child.pid === undefined ? 0 : rssMB(child.pid);
      peakMB = Math.max(peakMB, mb);
      if (killed === undefined && mb > guard.memoryMB) killed = 'memory';
      if (killed === undefined && performance.now() - started > guard.seconds * 1000) killed = 'time';
      if (killed !== undefined) child.kill('SIGKILL');
    }, 250);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      let json: ProcessRun['json'];
      try {
        json = last.startsWith('{') ? JSON.parse(last) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ json, code, wallSeconds: (performance.now() - started) / 1000, peakMB, stderr, ...(killed ? { killed } : {}) });
    });
  });
}
