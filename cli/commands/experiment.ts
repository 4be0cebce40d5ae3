/**
 * `heal experiment recovery`: the paper's recovery experiment at localhost scale, on real
 * processes started with `heal cluster`. Engine: runtime/client/experiment.ts.
 */
import { fileURLToPath } from 'node:url';
import { EXIT_OK, EXIT_UNKNOWN, EXIT_VIOLATION, InputError } from '../errors.ts';
import { boolFlag, flagOptions, enumFlag, intFlag, parseRaw, positiveNumberFlag, stringFlag, PERSISTENCY_MODELS, RECOVERY_MODES } from '../flags.ts';
import { writeAtomic } from '../write-atomic.ts';
import { projectFile } from '../../checker/locate.ts';
import { parseHistory } from '../../checker/history/index.ts';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { SEQ_MODELS as MODELS } from '../../spec/models/registry.ts';
import { processLauncher, terminateLaunched } from '../../runtime/client/launch.ts';
import { runExperiment, type Verdict } from '../../runtime/client/experiment.ts';
import { WORKLOADS, type WorkloadName } from '../../runtime/client/workload.ts';

const HELP = `usage: heal experiment recovery [options]

For every combination: start 'heal cluster', write every key once (the store's size), run
the load, SIGKILL node 1, restart it after the downtime, and measure recovery latency
(restart -> promotion from DIR/views.jsonl; restart -> serving reads by polling the node),
bytes and entries transferred (the node's status stats), and throughput during recovery
relative to before the crash. Every run is judged: final reads (no acknowledged write
lost) and heal lincheck on its history.

  --persistency P     all, or a comma list of ${PERSISTENCY_MODELS.join(', ')} (default all)
  --recovery R        heal, fullcopy or both (default both)
  --sizes N,N         store sizes in keys (default 10000,100000)
  --downtime S,S      seconds between kill and restart (default 1,3)
  --duration S        seconds of load per run (default 20)
  --kill-at S         seconds into the load (default 5)
  --nodes N           cluster size (default 3)
  --clients N --rate R --workload W --seed N --value-bytes B
                      as heal load / heal cluster (defaults 8, unlimited, taobench, 1, 150)
  --lease-ms MS       heal cluster's membership lease (default: heal cluster's, 300); on a
                      loaded machine a short lease can expire live nodes
  --out DIR           results.json, results.md (table), chart.html, and per run its
                      history.edn and cluster data (default experiment-out)
  --json              the rows as one JSON object (last line of stdout)

Ctrl-C or SIGTERM stops the run under way and its cluster, and reports the runs finished
before it (exit 3); a second one quits at once (exit 130), still stopping the cluster.

exit codes: 0 every run judged linearizable with no lost write, 1 some run was not,
2 bad input or usage, 3 some run could not be judged (unknown) or the experiment was
interrupted`;

const OPTIONS = flagOptions([
  'persistency', 'recovery', 'sizes', 'downtime', 'duration', 'kill-at', 'nodes', 'clients', 'rate', 'workload', 'seed', 'value-bytes', 'lease-ms', 'out',
]);

function list(raw: string | undefined, flag: string, fallback: number[], integer: boolean): number[] {
  if (raw === undefined) return fallback;
  const parts = raw.split(',');
  const re = integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (parts.some((p) => !re.test(p) || Number(p) <= 0)) throw new InputError(`--${flag}: expected a comma list of positive ${integer ? 'integers' : 'numbers'}, got '${raw}'`);
  return parts.map(Number);
}

/** heal lincheck's engine on one history: model heal, Knossos semantics (the EDN default). */
export function judge(edn: string, name: string, timeoutMs = 60_000): Verdict {
  const h = parseHistory(edn, 'jepsen-edn', name);
  const model = MODELS.heal!.create(undefined);
  const ops = buildOperations(h.events, model, { source: h.source, semantics: 'knossos' });
  const r = checkOperations(ops, model, { timeoutMs });
  return r.result === 'ok' ? 'linearizable' : r.result === 'illegal' ? 'not linearizable' : 'unknown';
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    (sub === undefined ? console.error : console.log)(HELP);
    return sub === undefined ? 2 : EXIT_OK;
  }
  if (sub !== 'recovery') throw new InputError(`unknown experiment '${sub}' (expected: recovery)`);
  const raw = parseRaw(rest, OPTIONS, false, 'experiment recovery');
  if (boolFlag(raw, 'help')) {
    console.log(HELP);
    return EXIT_OK;
  }
  const p = stringFlag(raw, 'persistency') ?? 'all';
  const persistency = p === 'all' ? [...PERSISTENCY_MODELS] : p.split(',');
  for (const m of persistency) if (!(PERSISTENCY_MODELS as readonly string[]).includes(m)) throw new InputError(`--persistency: expected all or a comma list of ${PERSISTENCY_MODELS.join(', ')}, got '${m}'`);
  const r = enumFlag(raw, 'recovery', [...RECOVERY_MODES, 'both'] as const) ?? 'both';
  const rateText = raw.values.rate;
  const options = {
    persistency,
    recovery: r === 'both' ? [...RECOVERY_MODES] : [r],
    sizes: list(stringFlag(raw, 'sizes'), 'sizes', [10_000, 100_000], true),
    downtimesS: list(stringFlag(raw, 'downtime'), 'downtime', [1, 3], false),
    durationS: positiveNumberFlag(raw, 'duration') ?? 20,
    killAtS: positiveNumberFlag(raw, 'kill-at') ?? 5,
    nodes: intFlag(raw, 'nodes', 2, 64) ?? 3,
    clients: intFlag(raw, 'clients', 1, 1024) ?? 8,
    rate: rateText === undefined || rateText === 'unlimited' ? undefined : positiveNumberFlag(raw, 'rate'),
    workload: enumFlag(raw, 'workload', Object.keys(WORKLOADS) as WorkloadName[]) ?? 'taobench',
    seed: intFlag(raw, 'seed', 0, 2 ** 32 - 1) ?? 1,
    valueBytes: intFlag(raw, 'value-bytes', 0, 1 << 20) ?? 150,
    leaseMs: intFlag(raw, 'lease-ms', 30, 600_000),
    out: stringFlag(raw, 'out') ?? 'experiment-out',
    bucketMs: 100,
  };
  if (options.killAtS >= options.durationS) throw new InputError(`--kill-at ${options.killAtS}: must be less than --duration ${options.durationS}`);
  // The clusters are this process's children: dying of the signal would orphan them
  // with their nodes, still running. The first signal stops the run and its cluster.
  const interrupt = new AbortController();
  let signalName = '';
  const onSignal = (name: NodeJS.Signals) => {
    if (interrupt.signal.aborted) {
      terminateLaunched();
      process.exit(130);
    }
    signalName = name;
    interrupt.abort();
    process.stderr.write(`heal experiment: ${name}: stopping the run under way and its cluster (again quits at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: Awaited<ReturnType<typeof runExperiment>>;
  try {
    result = await runExperiment({
      ...options,
      launcher: processLauncher(fileURLToPath(projectFile('bin/heal.mjs'))),
      judge: (edn, name) => judge(edn, name),
      write: (path, content) => writeAtomic('--out', path, content),
      log: (line) => console.error(line),
      onProgress: (line) => process.stderr.write(`  ${line}\n`),
      signal: interrupt.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const { rows, table, interrupted } = result;
  if (boolFlag(raw, 'json')) console.log(JSON.stringify({ runs: rows.map(({ series: _s, ...row }) => row), ...(interrupted ? { interrupted: true } : {}) }));
  else console.log(rows.length === 0 ? table : `${table}\nwrote ${options.out}/results.json, results.md, chart.html`);
  if (interrupted && !boolFlag(raw, 'json')) console.log(`interrupted (${signalName}): ${rows.length} run(s) finished before it`);
  if (rows.some((x) => x.verdict === 'not linearizable' || (x.lostWrites ?? 0) > 0)) return EXIT_VIOLATION;
  if (interrupted) return EXIT_UNKNOWN;
  if (rows.some((x) => x.verdict !== 'linearizable' || x.lostWrites === null)) return EXIT_UNKNOWN;
  return EXIT_OK;
}
