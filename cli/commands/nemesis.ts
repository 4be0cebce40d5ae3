/**
 * `heal nemesis --cluster DIR --kill NODE --at S`: the faults of `heal load --kill` on
 * their own, for a load run elsewhere (another terminal, another client). Times count
 * from this command's start.
 */
import { EXIT_OK, EXIT_UNKNOWN, InputError } from '../errors.ts';
import { boolFlag, flagOptions, intFlag, parseRaw } from '../flags.ts';
import { Control } from '../../runtime/client/control.ts';
import { History } from '../../runtime/client/history.ts';
import { runNemesis } from '../../runtime/client/nemesis.ts';
import { NEMESIS_SWITCHES, loadCluster, nemesisPlan } from './load-flags.ts';

const HELP = `usage: heal nemesis --cluster DIR --kill NODE|random [options]

SIGKILLs a node of the cluster that 'heal cluster --data DIR' runs, through its control port.

  --kill NODE|random  the node (random: chosen with --seed)
  --at S              seconds from now (default 0)
  --restart-after S   restart it S seconds after the kill
  --during-recovery   kill it again while it recovers (a shadow), restart it again after the same time
  --seed N            for --kill random (default 1)
  --json              the actions as one JSON object

exit codes: 0 done, 2 bad input or usage, 3 the control port refused or failed`;

const OPTIONS = flagOptions(['cluster', 'at', 'kill', 'restart-after', 'seed'], NEMESIS_SWITCHES);

export async function run(argv: string[]): Promise<number> {
  const raw = parseRaw(argv, OPTIONS, false, 'nemesis');
  if (boolFlag(raw, 'help')) {
    console.log(HELP);
    return EXIT_OK;
  }
  const cluster = loadCluster(raw);
  const seed = intFlag(raw, 'seed', 0, 2 ** 32 - 1) ?? 1;
  const plan = nemesisPlan(raw, cluster, seed, 'at');
  if (plan === undefined) throw new InputError('--kill NODE|random is required');
  const history = new History();
  try {
    const actions = await runNemesis(plan, cluster.nodes.map((n) => n.id), new Control(cluster.control.host, cluster.control.port), history);
    if (boolFlag(raw, 'json')) console.log(JSON.stringify({ actions: actions.map((a) => ({ ...a, tMs: Math.round(a.tMs) })) }));
    else for (const a of actions) console.log(`${(a.tMs / 1000).toFixed(2)} s: ${a.what} node ${a.node}${a.pid === undefined ? '' : ` (pid ${a.pid})`}${a.note ? `: ${a.note}` : ''}`);
    return EXIT_OK;
  } catch (e) {
    console.error(`heal nemesis: ${(e as Error).message}`);
    return EXIT_UNKNOWN;
  }
}
