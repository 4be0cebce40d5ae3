/**
 * The configurations `heal bench` measures. Each is plain data (a ModelRef and explore
 * options) so every measurement can run in a fresh process, where peak RSS is its own.
 *
 * The HEAL entries are configurations that complete in seconds (the default bounds do not
 * yet: see the README), so that throughput is measured on a whole state space.
 */
import type { ModelRef } from '../../checker/model.ts';
import { MODELS } from '../models/index.ts';
import type { HealConfig } from '../../model/heal.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../../src/cluster/state.ts';

export interface BenchConfig {
  readonly label: string;
  /** The equivalent `heal check` command, printed so a figure can be reproduced. */
  readonly command: string;
  readonly ref: ModelRef;
  readonly symmetry: boolean;
  /** For the Hermes port: TLC's config of the same constants (bench/tla), run beside it. */
  readonly tlcConfig?: string;
}

function hermes(nodes: number, maxVersion: number): BenchConfig {
  return {
    label: `hermes-tla n=${nodes} v=${maxVersion}`,
    command: `heal check --model hermes-tla --nodes ${nodes} --max-version ${maxVersion}`,
    ref: MODELS['hermes-tla'].refFor({ nodes, maxVersion }),
    symmetry: false,
    tlcConfig: `bench/tla/Hermes_N${nodes}V${maxVersion}.cfg`,
  };
}

function heal(overrides: Partial<HealConfig>, symmetry = false): BenchConfig {
  const config: HealConfig = { ...DEFAULT_CLUSTER_CONFIG, ...overrides };
  // Every bound spelled out: heal check's own defaults (its quick profile) are not these.
  const bounds = (['nodes', 'keys', 'writes', 'reads', 'crashes'] as const).map((k) => `--${k} ${config[k]}`);
  const flags = [...bounds, ...(config.persistency === 'scope' ? [`--scopes ${config.scopes}`] : []), ...(config.duplicates ? ['--duplicates'] : [])];
  return {
    label: `heal ${config.persistency}/${config.recovery} w=${config.writes} r=${config.reads} c=${config.crashes}${symmetry ? ' sym' : ''}`,
    command: ['heal check --persistency', config.persistency, '--recovery', config.recovery, ...flags, ...(symmetry ? ['--symmetry'] : [])].join(' '),
    ref: MODELS.heal.refFor(config),
    symmetry,
  };
}

export function benchConfigs(quick: boolean): BenchConfig[] {
  if (quick) return [hermes(3, 1)];
  return [
    hermes(3, 1),
    hermes(3, 2),
    heal({ persistency: 'synch', recovery: 'heal', writes: 1, reads: 0 }),
    heal({ persistency: 'eventual', recovery: 'fullcopy', crashes: 0 }),
    heal({ persistency: 'scope', recovery: 'heal', scopes: 1, crashes: 0 }),
    heal({ persistency: 'scope', recovery: 'heal', scopes: 1, crashes: 0 }, true),
  ];
}
