/**
 * The model registry: a model name -> how `heal check` turns flags into runs, and how
 * `heal replay` rebuilds the exact model a trace was found on. A run is plain data
 * (labels + a ModelRef) so worker threads and saved traces can rebuild it anywhere.
 * Factories are imported lazily, by the explorer or by checker/load-model.ts.
 */
import type { ModelRef } from '../../checker/model.ts';
import { entryModule } from '../../checker/locate.ts';
import { InputError } from '../errors.ts';
import { BOUND_PROFILES, BOUND_PROFILE_NAMES, DEFAULT_PROFILE, type HealBounds } from '../../model/heal-bounds.ts';
import { findingMutants, mutants, type Mutant } from '../../src/mutants.ts';
import { WITH_SCOPE_ENDS, hasScopeEnds } from '../../src/protocol/persistency/index.ts';
import { CLUSTER_LIMITS } from '../../src/cluster/state.ts';
import {
  enumFlag,
  intFlag,
  boolFlag,
  stringFlag,
  PERSISTENCY_MODELS,
  RECOVERY_MODES,
  type CheckFlags,
  type PersistencyName,
  type RecoveryName,
} from '../flags.ts';

export interface RunPlan {
  /** Registry name, stored in traces. */
  readonly model: string;
  /** null where the model has no such dimension (the Hermes TLA+ port). */
  readonly persistency: string | null;
  readonly recovery: string | null;
  readonly mutant: string | null;
  /** The full configuration the factory is called with; stored in traces. */
  readonly config: unknown;
  readonly ref: ModelRef;
}

export interface ModelEntry {
  readonly name: string;
  readonly summary: string;
  /** Flags only this model understands; other models reject them. */
  readonly ownFlags: readonly string[];
  planRuns(flags: CheckFlags): Promise<RunPlan[]>;
  /** The module and factory that rebuild this model from a stored config. */
  refFor(config: unknown): ModelRef;
}

/** The CLI's view of a mutant is the protocol's own declaration (src/mutants.ts). */
export type MutantInfo = Mutant;

export async function loadMutants(): Promise<readonly MutantInfo[]> {
  return mutants;
}

function healRef(config: unknown): ModelRef {
  return { module: entryModule('model/heal.ts').href, factory: 'createHealModel', config };
}

function hermesRef(config: unknown): ModelRef {
  return { module: entryModule('model/hermes-tla.ts').href, factory: 'createHermesTlaModel', config };
}

function choose<T extends string>(
  requested: T | 'all',
  all: readonly T[],
  allowedByMutant: readonly string[] | undefined,
  flag: string,
  mutant: string | null,
): T[] {
  if (requested === 'all') return all.filter((v) => allowedByMutant === undefined || allowedByMutant.includes(v));
  if (allowedByMutant !== undefined && !allowedByMutant.includes(requested)) {
    throw new InputError(
      `--${flag} ${requested}: mutant '${mutant}' does not apply to it (it applies to ${flag} ${allowedByMutant.join(', ')})`,
    );
  }
  return [requested];
}

const heal: ModelEntry = {
  name: 'heal',
  summary: 'the HEAL cluster: replicas, persistency models, HEAL or FullCopy recovery',
  ownFlags: ['bounds', 'wide-walks', 'persistency', 'recovery', 'keys', 'writes', 'reads', 'scopes', 'crashes', 'duplicates', 'mutant'],
  async planRuns(flags) {
    const raw = flags.raw;
    const persistency = enumFlag(raw, 'persistency', [...PERSISTENCY_MODELS, 'all'] as const) ?? 'all';
    const recovery = enumFlag(raw, 'recovery', [...RECOVERY_MODES, 'all'] as const) ?? 'all';
    const profileName = enumFlag(raw, 'bounds', BOUND_PROFILE_NAMES) ?? DEFAULT_PROFILE;
    const nodesFlag = intFlag(raw, 'nodes', CLUSTER_LIMITS.nodes.min, CLUSTER_LIMITS.nodes.max);
    const keysFlag = intFlag(raw, 'keys', CLUSTER_LIMITS.keys.min, CLUSTER_LIMITS.keys.max);
    const writesFlag = intFlag(raw, 'writes', 0, 64);
    const readsFlag = intFlag(raw, 'reads', 0, 64);
    const crashesFlag = intFlag(raw, 'crashes', CLUSTER_LIMITS.crashes.min, CLUSTER_LIMITS.crashes.max);
    const scopes = intFlag(raw, 'scopes', 0, 16);
    const duplicatesFlag = boolFlag(raw, 'duplicates');
    const mutantName = stringFlag(raw, 'mutant') ?? null;

    let mutant: MutantInfo | undefined;
    if (mutantName !== null) {
      const list = await loadMutants();
      // The old rules of F1-F13 run too, though 'heal mutants' lists only the catch table.
      mutant = list.find((m) => m.name === mutantName) ?? findingMutants.find((m) => m.name === mutantName);
      if (!mutant) {
        throw new InputError(
          `--mutant: unknown mutant '${mutantName}' (expected one of: ${list.map((m) => m.name).join(', ')}; see 'heal mutants')`,
        );
      }
    }
    if (scopes !== undefined && scopes > 0 && persistency !== 'all' && !hasScopeEnds(persistency)) {
      throw new InputError(`--scopes: scope ends exist only under --persistency ${WITH_SCOPE_ENDS.join('/')}, not '${persistency}'`);
    }
    // A mutant's own bounds (the smallest at which it shows) stand in for the profile's,
    // but a bound the user typed always wins.
    const profile: HealBounds = { ...BOUND_PROFILES[profileName], ...(flags.given.has('bounds') ? {} : mutant?.checkWith ?? {}) };
    const nodes = nodesFlag ?? profile.nodes;
    const keys = keysFlag ?? profile.keys;
    const writes = writesFlag ?? profile.writes;
    const reads = readsFlag ?? profile.reads;
    const crashes = crashesFlag ?? profile.crashes;
    // Duplicate delivery is a mutant's bound too (a re-delivered reply), never a profile's.
    const duplicates = duplicatesFlag || (!flags.given.has('bounds') && mutant?.checkWith?.duplicates === true);
    const persistencies = choose<PersistencyName>(persistency, PERSISTENCY_MODELS, mutant?.appliesTo.persistency, 'persistency', mutantName);
    const recoveries = choose<RecoveryName>(recovery, RECOVERY_MODES, mutant?.appliesTo.recovery, 'recovery', mutantName);
    if (persistencies.length === 0 || recoveries.length === 0) {
      throw new InputError(`--mutant ${mutantName}: applies to no persistency x recovery combination`);
    }
    const runs: RunPlan[] = [];
    for (const p of persistencies) {
      for (const r of recoveries) {
        // A scope end is a Scope-model operation; elsewhere it would only add states.
        const config = {
          nodes,
          keys,
          persistency: p,
          recovery: r,
          writes,
          reads,
          scopes: hasScopeEnds(p) ? (scopes ?? profile.scopes) : 0,
          crashes,
          duplicates,
          mutant: mutantName,
        };
        runs.push({ model: 'heal', persistency: p, recovery: r, mutant: mutantName, config, ref: healRef(config) });
      }
    }
    return runs;
  },
  refFor: healRef,
};

const hermesTla: ModelEntry = {
  name: 'hermes-tla',
  summary: "a 1:1 port of ease-lab/Hermes tla/Hermes.tla (TLC's state counts)",
  ownFlags: ['max-version'],
  async planRuns(flags) {
    const nodes = intFlag(flags.raw, 'nodes', 1, 8) ?? 3;
    const maxVersion = intFlag(flags.raw, 'max-version', 0, 250) ?? 2;
    const config = { nodes, maxVersion };
    return [{ model: 'hermes-tla', persistency: null, recovery: null, mutant: null, config, ref: hermesRef(config) }];
  },
  refFor: hermesRef,
};

export const MODELS: Readonly<Record<string, ModelEntry>> = { heal, 'hermes-tla': hermesTla };

export function modelEntry(name: string, where = '--model'): ModelEntry {
  const entry = MODELS[name];
  if (!entry) throw new InputError(`${where}: unknown model '${name}' (expected one of: ${Object.keys(MODELS).join(', ')})`);
  return entry;
}

/** Plan the runs of `heal check`, rejecting flags that belong to another model. */
export async function planRuns(flags: CheckFlags): Promise<RunPlan[]> {
  const entry = modelEntry(flags.model);
  for (const other of Object.values(MODELS)) {
    if (other === entry) continue;
    for (const flag of other.ownFlags) {
      if (flags.given.has(flag) && !entry.ownFlags.includes(flag)) {
        throw new InputError(`--${flag} applies to --model ${other.name}, not to --model ${entry.name}`);
      }
    }
  }
  return entry.planRuns(flags);
}
