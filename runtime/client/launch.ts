/**
 * Starting and stopping a cluster for a run: `heal cluster` as a child process (the real
 * thing), or anything else that yields a DIR with cluster.json (the tests' fake).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterFilePath, readClusterFile, type ClusterFile } from './cluster-file.ts';

export interface ClusterSpec {
  readonly dir: string;
  readonly nodes: number;
  readonly persistency: string;
  readonly recovery: string;
  readonly keys: number;
  readonly valueBytes: number;
  /** The membership lease (heal cluster's default when absent). */
  readonly leaseMs?: number;
}

export interface ClusterHandle {
  readonly dir: string;
  readonly cluster: ClusterFile;
  stop(): Promise<void>;
}

export type Launcher = (spec: ClusterSpec) => Promise<ClusterHandle>;

/** The arguments of `heal cluster` for a spec (runtime contract). */
export function clusterArgs(s: ClusterSpec): string[] {
  return ['cluster', '--data', s.dir, '--nodes', String(s.nodes), '--persistency', s.persistency, '--recovery', s.recovery, '--keys', String(s.keys), '--value-bytes', String(s.valueBytes), ...(s.leaseMs === undefined ? [] : ['--lease-ms', String(s.leaseMs)])];
}

/** `heal cluster` processes started and not yet seen to exit. */
const live = new Set<ChildProcess>();

/**
 * SIGTERM to every `heal cluster` this process started that is still running, at once
 * and without waiting: for a caller about to exit (a second Ctrl-C). Each supervisor
 * then stops its own nodes; none is left behind as an orphan.
 */
export function terminateLaunched(): void {
  for (const child of live) child.kill('SIGTERM');
}

/**
 * Runs `node <healBin> cluster ...` and waits for a cluster.json written after the start.
 * The supervisor's output is kept and shown only if it fails to start, so a run's report
 * is not drowned in its lines.
 */
export function processLauncher(healBin: string, startTimeoutMs = 30_000): Launcher {
  return async (spec) => {
    mkdirSync(spec.dir, { recursive: true });
    const started = Date.now();
    const child = spawn(process.execPath, [healBin, ...clusterArgs(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    live.add(child);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => {
      live.delete(child);
      r(code);
    }));
    let exitCode: number | null | undefined;
    void exited.then((c) => (exitCode = c));
    const path = clusterFilePath(spec.dir);
    for (;;) {
      if (exitCode !== undefined) throw new Error(`heal cluster exited with ${exitCode} before writing ${path}:\n${output.slice(-2000)}`);
      if (existsSync(path) && statSync(path).mtimeMs >= started - 1000) break;
      if (Date.now() - started > startTimeoutMs) {
        await stopChild(child, exited);
        throw new Error(`heal cluster wrote no ${path} within ${startTimeoutMs} ms:\n${output.slice(-2000)}`);
      }
      await sleep(50);
    }
    return { dir: spec.dir, cluster: readClusterFile(spec.dir), stop: () => stopChild(child, exited) };
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
