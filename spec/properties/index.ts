/**
 * The property list with stable IDs (spec/properties.md). model/heal.ts adds to
 * LIN the confirmation by the linearizability checker.
 */
import type { ClusterConfig, ClusterState } from '../../src/cluster/state.ts';
import {
  agree, converge, durSynch, linearizable, muNonRedundant, persistOrderStrict, progress, readDurableRenf, recoveryCompletes,
  scopeDurable, shadowNoRead, type ReadProbe,
} from './predicates.ts';

export type { ReadAnswer, ReadProbe } from './predicates.ts';

export type Scope = 'state' | 'quiescent' | 'terminal';

/**
 * What a property reads (spec/properties.md "Observations"), each recorded or asked
 * outside the protocol rules (src/cluster/observers.ts, the network, the membership
 * actions, the storage device); `probe` is a read through the node's client interface.
 */
export type Observation = 'client' | 'guarantees' | 'sends' | 'read' | 'probe' | 'view' | 'store' | 'net';

export interface HealProperty {
  readonly id: string;
  readonly scope: Scope;
  /** Whether the property is meaningful for this configuration. */
  readonly appliesTo: (config: ClusterConfig) => boolean;
  readonly observes: readonly Observation[];
  /** `probe`: the observers' probe read, passed in by the composition (spec/ imports no code of src/). */
  readonly check: (config: ClusterConfig, s: ClusterState, probe: ReadProbe) => string | null;
}

const always = (): boolean => true;

/** Ordered: where one bug breaks several, the most specific comes first. */
export const HEAL_PROPERTIES: readonly HealProperty[] = [
  { id: 'SHADOW-NO-READ', scope: 'state', appliesTo: always, observes: ['read', 'view'], check: shadowNoRead },
  { id: 'DUR-SYNCH', scope: 'state', appliesTo: (c) => c.persistency === 'synch', observes: ['guarantees', 'store'], check: durSynch },
  { id: 'PERSIST-ORDER-STRICT', scope: 'state', appliesTo: (c) => c.persistency === 'strict', observes: ['view', 'store'], check: persistOrderStrict },
  { id: 'READ-DURABLE-RENF', scope: 'state', appliesTo: (c) => c.persistency === 'renf', observes: ['read', 'view', 'store'], check: readDurableRenf },
  { id: 'SCOPE-DURABLE', scope: 'state', appliesTo: (c) => c.persistency === 'scope', observes: ['guarantees', 'store'], check: scopeDurable },
  { id: 'MU-NONREDUNDANT', scope: 'state', appliesTo: (c) => c.recovery === 'heal', observes: ['sends'], check: muNonRedundant },
  { id: 'AGREE', scope: 'state', appliesTo: always, observes: ['probe', 'view'], check: agree },
  { id: 'RECOVERY-COMPLETES', scope: 'quiescent', appliesTo: always, observes: ['view'], check: recoveryCompletes },
  { id: 'CONVERGE', scope: 'quiescent', appliesTo: always, observes: ['probe', 'view', 'store'], check: converge },
  { id: 'PROGRESS', scope: 'terminal', appliesTo: always, observes: ['client', 'view', 'net'], check: progress },
  { id: 'LIN', scope: 'state', appliesTo: always, observes: ['client'], check: linearizable },
];

export function propertiesFor(config: ClusterConfig): HealProperty[] {
  return HEAL_PROPERTIES.filter((p) => p.appliesTo(config));
}
