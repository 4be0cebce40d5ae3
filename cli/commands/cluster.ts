/**
 * `heal cluster`: runs HEAL for real on this machine, N node processes and a membership
 * service on 127.0.0.1 (runtime/, spec/runtime-protocol.md), until Ctrl-C or SIGTERM.
 */
import { EXIT_OK, InputError } from '../errors.ts';
import { boolFlag, flagOptions, enumFlag, intFlag, parseRaw, stringFlag, PERSISTENCY_MODELS, RECOVERY_MODES } from '../flags.ts';
import { Cluster, type ClusterOptions } from '../../runtime/supervisor.ts';

const HELP = `usage: heal cluster --data DIR [options]

Starts N node processes and a membership service on 127.0.0.1, each a child of this
process, and runs until Ctrl-C or SIGTERM, which stop them all (DIR is left as it is).
Writes DIR/cluster.json (where everything listens, rewritten when a node restarts),
DIR/views.jsonl (one line per installed view), and per node DIR/node-<id>/ (its store
and its event log events.jsonl). Protocols: spec/runtime-protocol.md.

  --data DIR            a new folder for the cluster's files (required)
  --nodes N             number of nodes, 2 to 15 (default 3)
  --persistency P       synch, strict, renf, scope, eventual (default synch)
  --recovery R          heal (default) or fullcopy
  --keys K              number of keys (default 16: heal conform checks logs of up to 16
                        keys; the experiment runs 1,000 to 30,000)
  --value-bytes B       size of a value on disk and on the wire, at least 8 (default 150)
  --control-port P      the control port (default: any free port)
  --lease-ms MS         membership lease (default 300); heartbeats every lease/6
  --no-events           do not write the event logs (for throughput measurements)
  --json                print where everything listens as one JSON object (cluster.json)

exit codes: 0 stopped cleanly, 2 bad input or usage`;

const OPTIONS = flagOptions(['data', 'nodes', 'persistency', 'recovery', 'keys', 'value-bytes', 'control-port', 'lease-ms'], ['no-events']);

export function parseClusterOptions(argv: string[]): ClusterOptions | 'help' {
  const raw = parseRaw(argv, OPTIONS, false, 'cluster');
  if (boolFlag(raw, 'help')) return 'help';
  const data = stringFlag(raw, 'data');
  if (data === undefined) throw new InputError(`--data: required (a new folder for the cluster's files)`);
  const leaseMs = intFlag(raw, 'lease-ms', 30, 600_000) ?? 300;
  return {
    data,
    nodes: intFlag(raw, 'nodes', 2, 15) ?? 3,
    persistency: enumFlag(raw, 'persistency', PERSISTENCY_MODELS) ?? 'synch',
    recovery: enumFlag(raw, 'recovery', RECOVERY_MODES) ?? 'heal',
    keys: intFlag(raw, 'keys', 1, 10_000_000) ?? 16,
    valueBytes: intFlag(raw, 'value-bytes', 8, 1 << 20) ?? 150,
    host: '127.0.0.1',
    controlPort: intFlag(raw, 'control-port', 0, 65535) ?? 0,
    events: !boolFlag(raw, 'no-events'),
    heartbeatMs: Math.max(5, Math.floor(leaseMs / 6)),
    leaseMs,
  };
}

export async function run(argv: string[]): Promise<number> {
  const opts = parseClusterOptions(argv);
  if (opts === 'help') {
    console.log(HELP);
    return EXIT_OK;
  }
  const json = argv.includes('--json');
  // Listen for the stop signals before starting children or printing where they listen:
  // a script that reads that line and stops the cluster at once must find the handlers
  // in place (it killed the supervisor and orphaned the nodes before), and a signal
  // during start-up stops the cluster once it is up.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const cluster = new Cluster(opts);
  try {
    await cluster.start();
  } catch (e) {
    await cluster.stop();
    throw new InputError((e as Error).message);
  }
  const info = cluster.clusterJson() as { nodes: { id: number; clientPort: number; peerPort: number; pid: number }[]; membership: { port: number }; control: { port: number } };
  if (json) console.log(JSON.stringify(info));
  else {
    console.log(`heal cluster: ${opts.nodes} nodes, ${opts.persistency} x ${opts.recovery}, ${opts.keys} keys of ${opts.valueBytes} bytes, data in ${cluster.dir}`);
    for (const n of info.nodes) console.log(`  node ${n.id}: clients 127.0.0.1:${n.clientPort}, peers 127.0.0.1:${n.peerPort}, pid ${n.pid}`);
    console.log(`  membership service: 127.0.0.1:${info.membership.port}`);
    console.log(`  control: 127.0.0.1:${info.control.port}`);
    console.log(`Ctrl-C stops the cluster.`);
  }
  await stopped;
  await cluster.stop();
  if (!json) console.log('heal cluster: stopped');
  return EXIT_OK;
}
