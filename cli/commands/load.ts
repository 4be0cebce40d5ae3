/**
 * `heal load --cluster DIR`: drive a running cluster with a seeded workload, record the
 * client history as Jepsen EDN, report throughput and latency; optionally SIGKILL and
 * restart a node meanwhile, and afterwards read every key to check that no acknowledged
 * write was lost. Engine: runtime/client/run.ts.
 */
import { EXIT_OK, EXIT_VIOLATION, InputError } from '../errors.ts';
import { boolFlag, flagOptions, enumFlag, intFlag, parseRaw, positiveNumberFlag, stringFlag } from '../flags.ts';
import { reserveOutput } from '../write-atomic.ts';
import { toEdn } from '../../runtime/client/history.ts';
import { runCluster, type RunResult } from '../../runtime/client/run.ts';
import { formatSummary } from '../../runtime/client/stats.ts';
import { MAX_CLIENT_SLOTS, WORKLOADS, type WorkloadName } from '../../runtime/client/workload.ts';
import { NEMESIS_SWITCHES, NEMESIS_VALUE_FLAGS, loadCluster, nemesisPlan } from './load-flags.ts';

const HELP = `usage: heal load --cluster DIR [options]

Runs a workload against the cluster that 'heal cluster --data DIR' started (DIR/cluster.json).
Each client is one connection to one node (round-robin), one operation at a time; a lost
connection makes a pending write :info and the client reconnects to the next node.

workload:
  --clients N         concurrent clients (default 8)
  --rate R            total operations per second, or 'unlimited' (default unlimited)
  --duration S        seconds of load (default 30)
  --workload W        ${Object.keys(WORKLOADS).join('|')}: ${Object.entries(WORKLOADS).map(([w, r]) => `${w} ${Math.round(r * 100)}% reads`).join(', ')};
                      keys Zipf-skewed (default taobench)
  --keys K            keys 0..K-1 (default: the cluster's --keys)
  --seed N            seeds the operations of every client (default 1)
  --scope-every N     Scope persistency: each client ends its scope after every N of its
                      writes (default 0: never; refused by a cluster of another model)
  --timeout S         a request unanswered after S seconds is abandoned (write: :info); default 2
faults (the supervisor's control port):
  --kill NODE|random  SIGKILL this node (random: chosen with --seed)
  --kill-at S         ... S seconds into the load (default 0)
  --restart-after S   restart it S seconds after the kill
  --during-recovery   kill it again while it recovers (a shadow), restart it again after the same time
judging:
  --final-reads       after the load (and restarts), wait until every node is a replica, read
                      every key once, and check that no acknowledged write was lost
output:
  --history OUT.edn   the client history as Jepsen EDN; judge it with
                      'heal lincheck OUT.edn --model heal'
  --json              the summary as one JSON object (last line of stdout)

A progress line (ops/s, p50/p99 latency, errors) goes to stderr every second.

exit codes: 0 ran (and no acknowledged write lost), 1 an acknowledged write was lost,
2 bad input or usage`;

const OPTIONS = flagOptions(
  ['cluster', 'clients', 'rate', 'duration', 'workload', 'keys', 'seed', 'scope-every', 'timeout', ...NEMESIS_VALUE_FLAGS, 'history'],
  [...NEMESIS_SWITCHES, 'final-reads'],
);

export function summaryJson(r: RunResult): Record<string, unknown> {
  return {
    ...r.load.summary,
    preloaded: r.preloaded,
    nemesis: r.nemesis,
    nemesisError: r.nemesisError ?? null,
    finalReads: r.finalReads,
    lostWrites: r.lostWrites ?? null,
  };
}

export async function run(argv: string[]): Promise<number> {
  const raw = parseRaw(argv, OPTIONS, false, 'load');
  if (boolFlag(raw, 'help')) {
    console.log(HELP);
    return EXIT_OK;
  }
  const cluster = loadCluster(raw);
  const clients = intFlag(raw, 'clients', 1, MAX_CLIENT_SLOTS - 1) ?? 8;
  const rateText = raw.values.rate;
  const rate = rateText === undefined || rateText === 'unlimited' ? undefined : positiveNumberFlag(raw, 'rate');
  const duration = positiveNumberFlag(raw, 'duration') ?? 30;
  const workload = enumFlag(raw, 'workload', Object.keys(WORKLOADS) as WorkloadName[]) ?? 'taobench';
  const keys = intFlag(raw, 'keys', 1, cluster.keys) ?? cluster.keys;
  const seed = intFlag(raw, 'seed', 0, 2 ** 32 - 1) ?? 1;
  const timeout = positiveNumberFlag(raw, 'timeout') ?? 2;
  const scopeEvery = intFlag(raw, 'scope-every', 0) ?? 0;
  if (scopeEvery > 0 && cluster.persistency !== 'scope') {
    throw new InputError(`--scope-every: the cluster runs persistency ${cluster.persistency}; scope ends exist under scope only`);
  }
  const nemesis = nemesisPlan(raw, cluster, seed, 'kill-at');
  const historyPath = stringFlag(raw, 'history');
  const json = boolFlag(raw, 'json');
  const out = historyPath === undefined ? undefined : reserveOutput('--history', historyPath, '-');

  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await runCluster({
      cluster, clients, rate, durationMs: duration * 1000, workload, keys, seed, scopeEvery, requestTimeoutMs: timeout * 1000, nemesis,
      finalReads: boolFlag(raw, 'final-reads'),
      onProgress: (line) => process.stderr.write(`${line}\n`),
      signal: stop.signal,
    });
    out?.commit(toEdn(result.history.events));
    report(result, json, out?.path);
    return result.lostWrites !== undefined && result.lostWrites.length > 0 ? EXIT_VIOLATION : EXIT_OK;
  } finally {
    process.removeListener('SIGINT', onSigint);
    out?.discard();
  }
}

function report(r: RunResult, json: boolean, historyPath: string | undefined): void {
  if (json) {
    console.log(JSON.stringify(summaryJson(r)));
    return;
  }
  for (const line of formatSummary(r.load.summary)) console.log(line);
  for (const a of r.nemesis) console.log(`nemesis: ${a.what} node ${a.node} at ${((a.tMs - r.load.startMs) / 1000).toFixed(2)} s${a.pid === undefined ? '' : ` (pid ${a.pid})`}${a.note ? `: ${a.note}` : ''}`);
  if (r.nemesisError) console.log(`nemesis failed: ${r.nemesisError}`);
  if (r.lostWrites !== undefined) {
    if (r.healthyMs === undefined) console.log('final reads: the cluster did not become whole (every node a live replica) within 30 s; read anyway');
    console.log(`final reads: ${r.finalReads} keys read; ${r.lostWrites.length === 0 ? 'no acknowledged write lost' : `${r.lostWrites.length} key(s) lost an acknowledged write:`}`);
    for (const l of r.lostWrites.slice(0, 10)) console.log(`  key ${l.key}: ${l.reason}`);
  }
  if (historyPath) console.log(`wrote ${historyPath} (judge it: heal lincheck ${historyPath} --model heal)`);
}
