/** Flags shared by `heal load` and `heal nemesis`: which cluster, and the fault to inject. */
import { InputError } from '../errors.ts';
import { boolFlag, intFlag, stringFlag, type RawFlags } from '../flags.ts';
import { ClusterFileError, readClusterFile, type ClusterFile } from '../../runtime/client/cluster-file.ts';
import type { NemesisPlan } from '../../runtime/client/nemesis.ts';

/** The nemesis flags of heal load (heal nemesis names --kill-at --at). */
export const NEMESIS_VALUE_FLAGS = ['kill', 'kill-at', 'restart-after'] as const;
export const NEMESIS_SWITCHES = ['during-recovery'] as const;

/** Seconds as a non-negative decimal (0 allowed: a kill at the very start). */
export function secondsFlag(raw: RawFlags, name: string): number | undefined {
  const v = raw.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v)) throw new InputError(`--${name}: expected a number of seconds >= 0, got '${String(v)}'`);
  return Number(v);
}

/** The fault plan, or undefined when no --kill was given (then the other fault flags are refused). */
export function nemesisPlan(raw: RawFlags, cluster: ClusterFile, seed: number, atFlag: string): NemesisPlan | undefined {
  const kill = raw.values.kill;
  const at = secondsFlag(raw, atFlag);
  const restartAfter = secondsFlag(raw, 'restart-after');
  const during = boolFlag(raw, 'during-recovery');
  if (kill === undefined) {
    for (const [flag, given] of [[atFlag, at !== undefined], ['restart-after', restartAfter !== undefined], ['during-recovery', during]] as const) {
      if (given) throw new InputError(`--${flag}: needs --kill NODE|random`);
    }
    return undefined;
  }
  let node: number | undefined;
  if (kill !== 'random') {
    const ids = cluster.nodes.map((n) => n.id);
    node = intFlag(raw, 'kill', 0);
    if (!ids.includes(node!)) throw new InputError(`--kill: expected a node id of the cluster (${ids.join(', ')}) or 'random', got '${String(kill)}'`);
  }
  if (during && restartAfter === undefined) throw new InputError('--during-recovery: needs --restart-after SECONDS (the node must restart to be recovering)');
  return { node, atMs: (at ?? 0) * 1000, restartAfterMs: restartAfter === undefined ? undefined : restartAfter * 1000, duringRecovery: during, seed };
}

/** The required --cluster DIR's cluster.json, its faults reported as bad input (exit 2). */
export function loadCluster(raw: RawFlags): ClusterFile {
  const dir = stringFlag(raw, 'cluster');
  if (dir === undefined) throw new InputError('--cluster DIR is required (the --data DIR of heal cluster)');
  try {
    return readClusterFile(dir);
  } catch (e) {
    if (e instanceof ClusterFileError) throw new InputError(e.message);
    throw e;
  }
}
