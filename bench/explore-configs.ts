/**
 * The configurations `heal bench` measures. Each is plain data (a ModelRef and explore
 * options) so every measurement can run in a fresh process, where peak RSS is its own.
 *
 * To add HEAL configurations: build refs with MODELS.heal.refFor(config) from
 * cli/models/index.ts (the same config objects `heal check` plans) and append entries here.
 */
import type { ModelRef } from '../checker/model.ts';
import { MODELS } from '../cli/models/index.ts';

export interface BenchConfig {
  readonly label: string;
  /** The equivalent `heal check` command, printed so a figure can be reproduced. */
  readonly command: string;
  readonly ref: ModelRef;
  readonly symmetry: boolean;
}

function hermes(nodes: number, maxVersion: number): BenchConfig {
  return {
    label: `hermes-tla n=${nodes} v=${maxVersion}`,
    command: `heal check --model hermes-tla --nodes ${nodes} --max-version ${maxVersion}`,
    ref: MODELS['hermes-tla'].refFor({ nodes, maxVersion }),
    symmetry: false,
  };
}

export function benchConfigs(quick: boolean): BenchConfig[] {
  return quick ? [hermes(3, 1)] : [hermes(3, 1), hermes(3, 2)];
}
