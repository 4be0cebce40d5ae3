/**
 * TLC, run beside the Hermes port by `heal bench` when java and tla2tools.jar are on the
 * machine. Never a dependency: without them the bench says so and measures the port alone.
 *
 * TLC runs as a plain child process on the Hermes spec (HEAL_HERMES_TLA, else
 * bench/tla/Hermes.tla, which the user fetches: it is not ours to ship) with our .cfg, its
 * metadata in a temporary directory (nothing is written into the repository). Peak RSS and
 * CPU time are sampled from /proc while it runs, since Node cannot ask for a child's rusage.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the jar is looked for when HEAL_TLA2TOOLS is not set, relative to the repository. */
export const DEFAULT_JAR = '../shared/tools/tla2tools.jar';

/** The Hermes spec TLC reads when HEAL_HERMES_TLA is not set (not in the repository). */
const DEFAULT_SPEC = 'bench/tla/Hermes.tla';

export type TlcLocation =
  | { readonly available: true; readonly java: string; readonly jar: string; readonly spec: string; readonly version: string }
  | { readonly available: false; readonly reason: string };

export function findTlc(repoRoot: string, env: NodeJS.ProcessEnv = process.env): TlcLocation {
  const jar = env.HEAL_TLA2TOOLS ? resolve(env.HEAL_TLA2TOOLS) : resolve(repoRoot, DEFAULT_JAR);
  if (!existsSync(jar)) {
    const how = env.HEAL_TLA2TOOLS ? 'HEAL_TLA2TOOLS points to' : `no HEAL_TLA2TOOLS and no jar at ${DEFAULT_JAR}:`;
    return { available: false, reason: `${how} ${jar}, which does not exist` };
  }
  const spec = env.HEAL_HERMES_TLA ? resolve(env.HEAL_HERMES_TLA) : resolve(repoRoot, DEFAULT_SPEC);
  if (!existsSync(spec)) {
    const how = env.HEAL_HERMES_TLA ? `HEAL_HERMES_TLA points to ${spec}, which does not exist` : `no HEAL_HERMES_TLA and no spec at ${DEFAULT_SPEC}`;
    return { available: false, reason: `${how} (fetch tla/Hermes.tla of ease-lab/Hermes at 949229c; see bench/tla/README.md)` };
  }
  const java = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return { available: false, reason: `'${java} -version' failed (${probe.error?.message ?? `exit ${probe.status}`})` };
  }
  // `java -version` writes to stderr: its first line names the runtime.
  return { available: true, java, jar, spec, version: (probe.stderr || probe.stdout).split('\n')[0].trim() };
}

export interface TlcCounts {
  readonly result: 'ok' | 'violation' | 'error';
  readonly distinct: number;
  readonly generated: number;
  /** TLC's depth: states on the longest shortest path, so one more than steps. */
  readonly depth: number;
  /** The TLC build's version line, when printed. */
  readonly version: string | null;
}

const num = (s: string) => Number(s.replace(/,/g, ''));
const FINAL_COUNTS = /^(\d[\d,]*) states generated, (\d[\d,]*) distinct states found, (\d[\d,]*) states left on queue\.$/m;

/** The counts of a finished TLC run from its standard output; null if it never finished. */
export function parseTlcOutput(out: string): TlcCounts | null {
  const totals = FINAL_COUNTS.exec(out);
  if (totals === null) return null;
  const depth = /^The depth of the complete state graph search is (\d+)\.$/m.exec(out);
  const version = /^TLC2 Version (.+)$/m.exec(out);
  const violation = /^Error: Invariant .* is violated\.$/m.test(out);
  const error = !violation && /^Error: /m.test(out);
  return {
    result: violation ? 'violation' : error ? 'error' : 'ok',
    generated: num(totals[1]),
    distinct: num(totals[2]),
    depth: depth === null ? Number.NaN : Number(depth[1]),
    version: version === null ? null : version[1].trim(),
  };
}

export interface TlcMeasured extends TlcCounts {
  readonly workers: number;
  /** Wall time of the whole java process, JVM start-up and parsing included. */
  readonly seconds: number;
  /**
   * Wall time of the search alone: from TLC's "Computing initial states..." line to its
   * final counts, timed as the lines arrive (TLC flushes each line). NaN if not seen.
   */
  readonly searchSeconds: number;
  /** User + system CPU of the java process (all threads), last sample before exit. */
  readonly cpuSeconds: number;
  /** Peak resident set (VmHWM), MB; NaN where /proc is not available. */
  readonly peakMemoryMB: number;
}

interface ProcSample {
  peakKB: number;
  cpuTicks: number;
}

function sampleProc(pid: number, last: ProcSample): ProcSample {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    // Fields 14 and 15 of /proc/PID/stat (utime, stime), counted after the ')' that ends
    // the command name, which may itself hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { peakKB: Math.max(last.peakKB, hwm ? Number(hwm[1]) : 0), cpuTicks: Number.isFinite(ticks) ? ticks : last.cpuTicks };
  } catch {
    return last; // the process has exited between two samples, or there is no /proc
  }
}

/** Clock ticks per second for /proc/PID/stat; 100 on every Linux this runs on in practice. */
function clockTicks(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return r.status === 0 && n > 0 ? n : 100;
}

export function runTlc(tlc: Extract<TlcLocation, { available: true }>, spec: string, cfg: string, workers: number): Promise<TlcMeasured> {
  const meta = mkdtempSync(join(tmpdir(), 'heal-bench-tlc-'));
  const args = ['-XX:+UseParallelGC', '-Xmx8g', '-cp', tlc.jar, 'tlc2.TLC', '-workers', String(workers), '-metadir', meta, '-config', cfg, spec];
  const ticksPerSecond = clockTicks();
  const procAvailable = existsSync('/proc/self/status');
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(tlc.java, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: meta });
    let out = '';
    let searchStart = Number.NaN;
    let searchEnd = Number.NaN;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const now = performance.now();
      if (Number.isNaN(searchStart) && out.includes('\nComputing initial states...')) searchStart = now;
      if (Number.isNaN(searchEnd) && FINAL_COUNTS.test(out)) searchEnd = now;
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let sample: ProcSample = { peakKB: 0, cpuTicks: 0 };
    const poll = setInterval(() => {
      if (child.pid !== undefined) sample = sampleProc(child.pid, sample);
    }, 50);
    const done = (e: Error | null) => {
      clearInterval(poll);
      rmSync(meta, { recursive: true, force: true });
      if (e !== null) reject(e);
    };
    child.on('error', (e) => done(e));
    // By 'close' the process is gone: the figures are the last sample, at most 50 ms old
    // (VmHWM only grows, so the peak itself is not lost).
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      done(null);
      const counts = parseTlcOutput(out);
      if (counts === null) {
        reject(new Error(`TLC on ${cfg} with ${workers} worker(s) exited with ${code} before reporting counts:\n${out.slice(-1000)}`));
        return;
      }
      resolvePromise({
        ...counts,
        workers,
        seconds,
        searchSeconds: (searchEnd - searchStart) / 1000,
        cpuSeconds: sample.cpuTicks / ticksPerSecond,
        peakMemoryMB: procAvailable ? Math.round(sample.peakKB / 1024) : Number.NaN,
      });
    });
  });
}
