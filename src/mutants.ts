/**
 * Deliberately wrong protocol variants. Each is switched on by `config.mutant` and
 * checked at the exact rule it breaks (grep the name under src/protocol). Each must be
 * caught by the checker with a violation of the property named in `breaks`
 * (test/mutants, and `heal check --mutant NAME`).
 */
import type { Persistency, Recovery } from './protocol/types.ts';

export interface Mutant {
  readonly name: string;
  /** Property ID from spec/properties.md that the checker reports for it. */
  readonly breaks: string;
  readonly description: string;
  readonly appliesTo: { readonly persistency?: readonly Persistency[]; readonly recovery?: readonly Recovery[] };
  /**
   * Bounds (overriding the defaults 3 nodes, 1 key, 2 writes, 1 read, 1 crash) under
   * which a BFS reports `breaks` as the first violation, when the defaults do not
   * (another property fails first, or the violation is too deep to reach quickly).
   * `persistency` picks the model to check it under (default: the first of
   * `appliesTo.persistency`, else Eventual) where another one reaches it with fewer states.
   */
  readonly checkWith?: {
    readonly persistency?: Persistency;
    readonly writes?: number;
    readonly reads?: number;
    readonly crashes?: number;
    readonly nodes?: number;
    readonly scopes?: number;
    readonly duplicates?: boolean;
  };
}

export const mutants: readonly Mutant[] = [
  {
    name: 'buddy-skips-mu',
    breaks: 'AGREE',
    description: 'the Buddy sends MU_END(0) without streaming its Missed_updates buffer (H-MU-STREAM)',
    appliesTo: { recovery: ['heal'] },
  },
  {
    name: 'mu-no-ts-compare',
    // Its shortest damage (13 steps) is a shadow that takes an older entry over the newer
    // write it holds durably: the volatile store then lags the durable one (CONVERGE). The
    // AGREE damage (an older entry over a newer INV, then promotion) is deeper and is
    // checked by a scripted scenario in test/mutants. Synchronous reaches the 13 steps
    // with the fewest states (~533k, against ~1.4M under Strict and ~1.6M under Eventual).
    breaks: 'CONVERGE',
    description: 'the shadow applies MU entries without comparing timestamps, so an older entry overwrites a newer value it holds, durable or from an INV (H-RCV-MU)',
    appliesTo: { recovery: ['heal'] },
    checkWith: { persistency: 'synch', reads: 0 },
  },
  {
    name: 'shadow-answers-reads',
    breaks: 'SHADOW-NO-READ',
    description: 'a shadow serves client reads on Valid keys (H-SHADOW, R-READ)',
    appliesTo: {},
  },
  {
    name: 'promote-before-mu-end',
    breaks: 'AGREE',
    description: 'promotion waits for the START_ACKs but not for MU_END and the MU entries (H-PROMOTE)',
    appliesTo: { recovery: ['heal'] },
  },
  {
    name: 'no-freeze',
    breaks: 'MU-NONREDUNDANT',
    description: 'Missed_updates buffers are not frozen at Start-to-Ack, so the Buddy keeps streaming updates the shadow also gets by INV (H-FREEZE)',
    appliesTo: { recovery: ['heal'] },
  },
  {
    name: 'no-pp-seed',
    breaks: 'AGREE',
    description: 'at a failure the Missed_updates buffer is not seeded from the Partially_persisted list (H-SEED-MU)',
    appliesTo: { recovery: ['heal'] },
  },
  {
    name: 'synch-ack-before-persist',
    breaks: 'DUR-SYNCH',
    description: 'under Synchronous a follower ACKs an INV on applying it, before its persist completes (P-SYNCH-ACK)',
    appliesTo: { persistency: ['synch'] },
  },
  {
    name: 'strict-persist-out-of-order',
    breaks: 'PERSIST-ORDER-STRICT',
    description: 'under Strict any pending persist may complete, not only the head of the FIFO (P-STRICT-FIFO)',
    appliesTo: { persistency: ['strict'] },
  },
  {
    name: 'renf-read-non-durable',
    breaks: 'READ-DURABLE-RENF',
    description: 'under Read-Enforced a read returns a Valid value without the durable mark (read condition)',
    appliesTo: { persistency: ['renf'] },
  },
  {
    name: 'scope-end-early',
    breaks: 'SCOPE-DURABLE',
    description: 'a scope end returns once its own node has the writes durable, without the members\' SCOPE_ACKs (P-SCOPE-DONE)',
    appliesTo: { persistency: ['scope'] },
  },
  {
    name: 'scope-ack-unmatched',
    // Needs a second scope end and a stale SCOPE_ACK: a re-delivered one (duplicates) is
    // the shallowest (14 steps with 2 nodes), a crashed sender's one is deeper (finding F14).
    breaks: 'SCOPE-DURABLE',
    description: 'a SCOPE_ACK counts whatever scope end it answers, so one left over from an earlier scope end ends a later one early (P-SCOPE-ACK)',
    appliesTo: { persistency: ['scope'] },
    checkWith: { nodes: 2, writes: 2, reads: 0, scopes: 2, crashes: 0, duplicates: true },
  },
  {
    name: 'synch-no-retry-after-persist',
    breaks: 'PROGRESS',
    description: 'under Synchronous the coordinator does not retry completion when its own persist completes, so a write whose ACKs came first never returns (P-SYNCH)',
    appliesTo: { persistency: ['synch'] },
    checkWith: { writes: 1, reads: 0, crashes: 0 },
  },
  {
    name: 'no-coordinator-replay',
    breaks: 'CONVERGE',
    description: 'a coordinator does not re-broadcast its INV in a new epoch, so ACKs dropped for a stale epoch never come (R-REPLAY-COORD)',
    appliesTo: {},
  },
  {
    name: 'eventual-skip-follower-persist',
    breaks: 'CONVERGE',
    description: 'under Eventual a follower applies an INV but never queues its persist (P-ISSUE)',
    appliesTo: { persistency: ['eventual'] },
  },
  {
    name: 'buddy-no-empty-mu-end',
    breaks: 'RECOVERY-COMPLETES',
    description: 'a Buddy with an empty buffer never sends MU_END, so the shadow waits forever (H-MU-STREAM)',
    appliesTo: { recovery: ['heal'] },
  },
  {
    name: 'read-invalid',
    breaks: 'LIN',
    description: 'a replica serves reads whatever the key state, returning values not yet committed (R-READ)',
    appliesTo: {},
    checkWith: { reads: 2 },
  },
];

export function findMutant(name: string): Mutant | undefined {
  return mutants.find((m) => m.name === name);
}
