/**
 * Completed operations as the load saw them: when each ended, how long it took, and how.
 * The progress line, the final summary and the experiment's throughput curve all come
 * from this one record, so they cannot disagree.
 */

export type Outcome = 'ok' | 'fail' | 'info';

export interface Completion {
  /** Milliseconds since the load started, at completion. */
  readonly t: number;
  readonly latencyMs: number;
  readonly f: 'read' | 'write' | 'scope-end';
  readonly outcome: Outcome;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export interface LoadSummary {
  readonly seconds: number;
  readonly throughput: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly read: LatencySummary;
  readonly write: LatencySummary;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function latencySummary(latencies: number[]): LatencySummary {
  const sorted = latencies.slice().sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
  };
}

/** Throughput counts successful operations only: a refusal is not work done for the client. */
export function summarize(completions: readonly Completion[], seconds: number): LoadSummary {
  const count = { ok: 0, fail: 0, info: 0 };
  const lat = { read: [] as number[], write: [] as number[] };
  for (const c of completions) {
    count[c.outcome]++;
    if (c.outcome === 'ok' && c.f !== 'scope-end') lat[c.f].push(c.latencyMs);
  }
  return {
    seconds,
    throughput: seconds > 0 ? count.ok / seconds : 0,
    ...count,
    read: latencySummary(lat.read),
    write: latencySummary(lat.write),
  };
}

/** Successful operations per second in [from, to) ms, from completion times. */
export function throughputBetween(completions: readonly Completion[], fromMs: number, toMs: number): number | null {
  if (toMs <= fromMs) return null;
  let n = 0;
  for (const c of completions) if (c.outcome === 'ok' && c.t >= fromMs && c.t < toMs) n++;
  return (n * 1000) / (toMs - fromMs);
}

/** Throughput in buckets of `bucketMs`: [start ms, ok ops/s] from 0 to `endMs`. */
export function throughputSeries(completions: readonly Completion[], bucketMs: number, endMs: number): [number, number][] {
  const buckets = new Array<number>(Math.max(1, Math.ceil(endMs / bucketMs))).fill(0);
  for (const c of completions) {
    if (c.outcome !== 'ok') continue;
    const b = Math.floor(c.t / bucketMs);
    if (b >= 0 && b < buckets.length) buckets[b]!++;
  }
  return buckets.map((n, i) => [i * bucketMs, (n * 1000) / bucketMs]);
}

const ms = (v: number | null): string => (v === null ? '-' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`);

/** One progress line for the last window of completions. */
export function progressLine(elapsedS: number, window: readonly Completion[], windowS: number): string {
  const ok = window.filter((c) => c.outcome === 'ok');
  const sorted = ok.map((c) => c.latencyMs).sort((a, b) => a - b);
  const fail = window.filter((c) => c.outcome === 'fail').length;
  const info = window.filter((c) => c.outcome === 'info').length;
  return `[${elapsedS.toFixed(0).padStart(3)} s] ${(ok.length / windowS).toFixed(0).padStart(6)} ops/s  p50 ${ms(percentile(sorted, 50))}  p99 ${ms(percentile(sorted, 99))}  errors ${fail + info} (fail ${fail}, info ${info})`;
}

export function formatSummary(s: LoadSummary): string[] {
  const row = (name: string, l: LatencySummary) =>
    `  ${name.padEnd(5)} ${String(l.count).padStart(8)} ok   p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`;
  return [
    `${s.ok + s.fail + s.info} operations in ${s.seconds.toFixed(1)} s: ${s.throughput.toFixed(0)} ok ops/s; ok ${s.ok}, fail ${s.fail}, info ${s.info}`,
    row('read', s.read),
    row('write', s.write),
  ];
}
