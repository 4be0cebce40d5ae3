/**
 * The property list with stable IDs (spec/properties.md). cli/models/heal.ts adds to
 * LIN the confirmation by the linearizability checker.
 */
import type { ClusterConfig, ClusterState } from '../../src/cluster/state.ts';
import {
  agree, converge, durSynch, linearizable, muNonRedundant, persistOrderStrict, progress, readDurableRenf, recoveryCompletes,
  scopeDurable, shadowNoRead,
} from './predicates.ts';

export type Scope = 'state' | 'quiescent' | 'terminal';

export interface HealProperty {
  readonly id: string;
  readonly scope: Scope;
  /** Whether the property is meaningful for this configuration. */
  readonly appliesTo: (config: ClusterConfig) => boolean;
  readonly check: (config: ClusterConfig, s: ClusterState) => string | null;
}

const always = (): boolean => true;

/** Ordered: where one bug breaks several, the most specific comes first. */
export const HEAL_PROPERTIES: readonly HealProperty[] = [
  { id: 'SHADOW-NO-READ', scope: 'state', appliesTo: always, check: shadowNoRead },
  { id: 'DUR-SYNCH', scope: 'state', appliesTo: (c) => c.persistency === 'synch', check: durSynch },
  { id: 'PERSIST-ORDER-STRICT', scope: 'state', appliesTo: (c) => c.persistency === 'strict', check: persistOrderStrict },
  { id: 'READ-DURABLE-RENF', scope: 'state', appliesTo: (c) => c.persistency === 'renf', check: readDurableRenf },
  { id: 'SCOPE-DURABLE', scope: 'state', appliesTo: (c) => c.persistency === 'scope', check: scopeDurable },
  { id: 'MU-NONREDUNDANT', scope: 'state', appliesTo: (c) => c.recovery === 'heal', check: muNonRedundant },
  { id: 'AGREE', scope: 'state', appliesTo: always, check: agree },
  { id: 'RECOVERY-COMPLETES', scope: 'quiescent', appliesTo: always, check: recoveryCompletes },
  { id: 'CONVERGE', scope: 'quiescent', appliesTo: always, check: converge },
  { id: 'PROGRESS', scope: 'terminal', appliesTo: always, check: progress },
  { id: 'LIN', scope: 'state', appliesTo: always, check: linearizable },
];

export function propertiesFor(config: ClusterConfig): HealProperty[] {
  return HEAL_PROPERTIES.filter((p) => p.appliesTo(config));
}
