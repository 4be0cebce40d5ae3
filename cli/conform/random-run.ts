/**
 * Seeded random runs of the cluster model, to export as long event logs (tests and
 * bench/conform.ts). Not under src/: it draws random numbers.
 */
import { actions, initialState, next, type ClusterAction, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';

/** The explorer's seeded generator (mulberry32): the same sequence on every platform for a seed. */
export { seededRandom as rng } from '../../checker/explore/random.ts';
import { seededRandom as rng } from '../../checker/explore/random.ts';

export interface RandomRunOptions {
  readonly seed: number;
  readonly maxSteps: number;
  /** Chance that a crash, when drawn, is kept (crashes are 1/3 of the choices otherwise). */
  readonly crashChance?: number;
}

/** The actions of one random run from the initial state, to its end or maxSteps. */
export function randomRun(config: ClusterConfig, options: RandomRunOptions): ClusterAction[] {
  const random = rng(options.seed);
  const crashChance = options.crashChance ?? 1;
  let s: ClusterState = { ...initialState(config), history: null };
  const out: ClusterAction[] = [];
  while (out.length < options.maxSteps) {
    let enabled = actions(config, s);
    if (enabled.length === 0) break;
    let a = enabled[Math.floor(random() * enabled.length)]!;
    if (a.kind === 'crash' && random() >= crashChance) {
      enabled = enabled.filter((x) => x.kind !== 'crash');
      if (enabled.length === 0) break;
      a = enabled[Math.floor(random() * enabled.length)]!;
    }
    out.push(a);
    s = next(config, s, a);
  }
  return out;
}
