/**
 * Deliberately wrong protocol variants. Each is switched on by `config.mutant` and
 * checked at the exact rule it breaks (grep the name under src/protocol). Each must be
 * caught by the checker with a violation of the property named in `breaks`
 * (test/mutants, and `heal check --mutant NAME`). The names form the type MutantName, which
 * Ctx.mutant and ClusterConfig.mutant carry: a test of a name no mutant has fails tsc.
 */
import type { Persistency, Recovery } from './protocol/types.ts';

interface MutantSpec {
  readonly name: string;
  /** Property ID from spec/properties.md that the checker reports for it. */
  readonly breaks: string;
  /**
   * Where a breadth-first search reports another property first ('persistency/recovery'
   * -> property ID): the same bug seen from another side, measured and pinned by
   * test/mutants/catch-table.test.ts.
   */
  readonly breaksIn?: Readonly<Record<string, string>>;
  readonly description: string;
  readonly appliesTo: { readonly persistency?: readonly Persistency[]; readonly recovery?: readonly Recovery[] };
  /**
   * Bounds (overriding those of the default profile, `heal check --bounds quick`) at
   * which a BFS reports `breaks` as the first violation in every combination the mutant
   * applies to, where the default bounds do not show it. `heal check --mutant NAME`
   * applies them unless the user gives a bound; `heal mutants` lists them.
   */
  readonly checkWith?: {
    readonly nodes?: number;
    readonly keys?: number;
    readonly writes?: number;
    readonly reads?: number;
    readonly crashes?: number;
    readonly scopes?: number;
    readonly duplicates?: boolean;
  };
}

const MUTANTS = [
  {
    name: 'buddy-skips-mu',
    breaks: 'AGREE',
    description: 'the Buddy sends MU_END(0) without streaming its Missed_updates buffer (H-MU-STREAM)',
    appliesTo: { recovery: ['heal'] },
    checkWith: { nodes: 3, writes: 1, reads: 0, crashes: 1 },
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
    checkWith: { nodes: 3, writes: 2, reads: 0, crashes: 1 },
  },
  {
    name: 'shadow-answers-reads',
    breaks: 'SHADOW-NO-READ',
    description: 'a shadow serves client reads on Valid keys (H-SHADOW, R-READ)',
    appliesTo: {},
    checkWith: { nodes: 3, writes: 1, reads: 1, crashes: 1 },
  },
  {
    name: 'promote-before-mu-end',
    breaks: 'AGREE',
    description: 'promotion waits for the START_ACKs but not for MU_END and the MU entries (H-PROMOTE)',
    appliesTo: { recovery: ['heal'] },
    checkWith: { nodes: 3, writes: 1, reads: 0, crashes: 1 },
  },
  {
    name: 'no-freeze',
    breaks: 'MU-NONREDUNDANT',
    description: 'Missed_updates buffers are not frozen at Start-to-Ack, so the Buddy keeps streaming updates the shadow also gets by INV (H-FREEZE)',
    appliesTo: { recovery: ['heal'] },
    checkWith: { nodes: 3, writes: 1, reads: 0, crashes: 1 },
  },
  {
    name: 'mu-stream-resend',
    // Invisible to a count kept by the stream code itself (it marks a key streamed, once):
    // MU-NONREDUNDANT counts the MU messages the step sent.
    breaks: 'MU-NONREDUNDANT',
    description: 'the Buddy sends every Missed_updates entry twice in one stream (H-MU-STREAM)',
    appliesTo: { recovery: ['heal'] },
    checkWith: { nodes: 3, writes: 1, reads: 0, crashes: 1 },
  },
  {
    name: 'no-pp-seed',
    breaks: 'AGREE',
    description: 'at a failure the Missed_updates buffer is not seeded from the Partially_persisted list (H-SEED-MU)',
    appliesTo: { recovery: ['heal'] },
    checkWith: { nodes: 3, writes: 1, reads: 0, crashes: 1 },
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
    // Two persists must be pending at one node: it takes a second write.
    checkWith: { nodes: 3, writes: 2, reads: 0 },
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
    name: 'scope-ts-first-write',
    // Invisible to a property that reads scopeTs (it would check the same first write the
    // scope end waited for): SCOPE-DURABLE judges the writes the client was told completed.
    breaks: 'SCOPE-DURABLE',
    description: 'a scope end asks the members about the first write of each key in the scope instead of the latest, so it returns before the latest is durable (P-SCOPE-END)',
    appliesTo: { persistency: ['scope'] },
    checkWith: { nodes: 2, writes: 2, reads: 0, scopes: 1, crashes: 0 },
  },
  {
    name: 'synch-no-retry-after-persist',
    breaks: 'PROGRESS',
    description: 'under Synchronous the coordinator does not retry completion when its own persist completes, so a write whose ACKs came first never returns (P-SYNCH)',
    appliesTo: { persistency: ['synch'] },
    checkWith: { writes: 1, reads: 0, crashes: 0 },
  },
  {
    name: 'invw-drops-client',
    // Invisible to a PROGRESS that reads the node's own record of its client operation
    // (cleared) and to LIN (a write never answered is indeterminate): PROGRESS judges the
    // invocations and replies the client saw.
    breaks: 'PROGRESS',
    description: 'a write overtaken by a newer INV (InvalidWrite) forgets its client operation, so the client is never answered (R-RCV-INV)',
    appliesTo: {},
    checkWith: { nodes: 2, writes: 2, reads: 0, crashes: 0, scopes: 0 },
  },
  {
    name: 'no-coordinator-replay',
    // The write whose ACKs were dropped never returns: a breadth-first search meets the
    // run's end (PROGRESS) at the same depth as the divergence it leaves (CONVERGE).
    breaks: 'PROGRESS',
    breaksIn: { 'scope/heal': 'CONVERGE', 'scope/fullcopy': 'CONVERGE' },
    description: 'a coordinator does not re-broadcast its INV in a new epoch, so ACKs dropped for a stale epoch never come (R-REPLAY-COORD)',
    appliesTo: {},
    checkWith: { nodes: 3, writes: 1, reads: 0, crashes: 1 },
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
    checkWith: { nodes: 3, writes: 1, reads: 0, crashes: 1 },
  },
  {
    name: 'read-from-durable',
    // Invisible to an AGREE over key states (the replicas' Valid key states agree): AGREE
    // judges what a read would answer at each replica. Under Synchronous a Valid key is
    // durable where it is Valid, and under Read-Enforced a marked one is: there the
    // mutant changes nothing. With reads, a stale read (LIN) comes one step before two
    // replicas answer differently.
    breaks: 'AGREE',
    description: 'a read answers from the node\'s durable store instead of the Valid value it holds, so a replica whose persist is pending answers an older value (R-READ)',
    appliesTo: { persistency: ['strict', 'scope', 'eventual'] },
    checkWith: { reads: 0 },
  },
  {
    name: 'write-returns-early',
    // Every node that answers a read answers the old value (the writer's key is not Valid),
    // so AGREE holds; a client reading after the write returned sees the old value (LIN).
    // Under Synchronous the reply is also a durability guarantee, broken first (DUR-SYNCH).
    breaks: 'LIN',
    breaksIn: { 'synch/heal': 'DUR-SYNCH', 'synch/fullcopy': 'DUR-SYNCH' },
    description: 'a client write is answered once its INVs are sent, before the ACKs (R-COMPLETE)',
    appliesTo: {},
  },
  {
    name: 'read-invalid',
    // Seen first by AGREE's probe reads, one step after the write: the writer would answer
    // its uncommitted value, every other replica the old one. A client sees it as a stale
    // read after a fresh one (LIN, 2 reads, 4 steps).
    breaks: 'AGREE',
    description: 'a replica serves reads whatever the key state, returning values not yet committed (R-READ)',
    // Under Read-Enforced a read also needs the durable mark, which only the PVAL of a
    // committed write sets: that rule alone keeps uncommitted values from readers.
    appliesTo: { persistency: ['synch', 'strict', 'scope', 'eventual'] },
  },
] as const satisfies readonly MutantSpec[];

/**
 * The old rules of findings F1-F13 and F15 (spec/properties.md; F14's is scope-ack-unmatched
 * above), each restored by one mutant so a regression scenario can show the bug again (test/scenarios/testdata/F*.txt). Apart from
 * `mutants`: several need more nodes or crashes than the default bounds, so they are caught
 * by their scenario, not by the BFS catch table of `heal mutants`.
 */
interface FindingMutantSpec extends MutantSpec {
  readonly finding: string;
}

const FINDING_MUTANTS = [
  { finding: 'F1', name: 'f1-promote-untouched-valid', breaks: 'AGREE', appliesTo: { recovery: ['heal'] },
    description: 'promotion declares an untouched key Valid even when its durable value is a write no live node holds (H-PROMOTE)' },
  { finding: 'F2', name: 'f2-mu-invalid-waits', breaks: 'CONVERGE', appliesTo: {},
    description: 'a shadow takes an MU entry that was not Valid and waits for its VAL instead of replaying it (H-RCV-MU)' },
  { finding: 'F3', name: 'f3-replayer-takes-val', breaks: 'CONVERGE', appliesTo: {},
    description: 'a replayer goes Valid on the original coordinator\'s VAL and abandons its replay (R-RCV-VAL)' },
  { finding: 'F4', name: 'f4-writer-not-orphaned', breaks: 'CONVERGE', appliesTo: {},
    description: 'a crash leaves lastWriter pointing at the crashed node, which may rejoin as a member (R-REPLAY-FOLLOWER)' },
  { finding: 'F5', name: 'f5-invw-drops-val', breaks: 'CONVERGE', appliesTo: {},
    description: 'the VAL of the write that overtook an InvalidWrite is dropped (R-RCV-VAL)' },
  { finding: 'F6', name: 'f6-invw-follower-replay', breaks: 'PROGRESS', appliesTo: {},
    description: 'follower replay starts from InvalidWrite, dropping the node\'s own client write (R-REPLAY-FOLLOWER)' },
  { finding: 'F7', name: 'f7-promote-pending-persist', breaks: 'READ-DURABLE-RENF', appliesTo: { persistency: ['renf'] },
    description: 'promotion does not wait for the shadow\'s persist pipeline to empty (H-PROMOTE)' },
  { finding: 'F8', name: 'f8-ts-no-incarnation', breaks: 'AGREE', appliesTo: {},
    description: 'a timestamp\'s writer is the node alone, so a restarted node reuses (version, node) (R-WRITE)' },
  { finding: 'F9', name: 'f9-no-reload-pp', breaks: 'AGREE', appliesTo: { recovery: ['heal'] },
    description: 'a restarted node\'s reloaded durable updates stay out of its Partially_persisted list (H-SEED-MU)' },
  { finding: 'F10', name: 'f10-pval-replicas-only', breaks: 'AGREE', appliesTo: { persistency: ['renf'], recovery: ['heal'] },
    description: 'PVAL waits for the replicas\' PACKs only and confirms the update durable at every member (P-RENF-PVAL)' },
  { finding: 'F11', name: 'f11-pack-void-off', breaks: 'READ-DURABLE-RENF', appliesTo: { persistency: ['renf'], recovery: ['fullcopy'] },
    description: 'a PACK sent before its sender\'s FullCopy crash still counts (F-PACK-VOID)' },
  { finding: 'F12', name: 'f12-buddy-first-replica', breaks: 'AGREE', appliesTo: { recovery: ['heal'] },
    description: 'the Buddy is the first replica after f even if it has no buffer for f, and then streams an empty one (H-BUDDY)' },
  { finding: 'F12', name: 'f12-freeze-creates-buffer', breaks: 'AGREE', appliesTo: { recovery: ['heal'] },
    description: 'H-FREEZE gives a member that restarted after f failed an empty buffer for f, so it qualifies as Buddy (H-FREEZE, H-BUDDY)' },
  { finding: 'F12', name: 'f12-refail-seeds-buffer', breaks: 'AGREE', appliesTo: { recovery: ['heal'] },
    description: 'when a shadow fails again, members without a buffer for it seed one from Partially_persisted lists that miss updates it lacks (H-REFAIL)' },
  { finding: 'F13', name: 'f13-mu-at-replica', breaks: 'PROGRESS', appliesTo: {},
    description: 'a promoted node still applies a leftover MU from an abandoned stream (H-RCV-MU)' },
  { finding: 'F15', name: 'f15-renf-no-remark', breaks: 'CONVERGE', appliesTo: { persistency: ['renf'] },
    description: 'nothing replays a Valid key without the durable mark, and a coordinator takes other nodes\' PVALs for its ts, so a key a recovered node took from its stream, or one whose writer crashed before its PVAL, is never readable until written again (P-RENF-REMARK, P-RENF-RCV-PVAL)' },
] as const satisfies readonly FindingMutantSpec[];

export type MutantName = (typeof MUTANTS)[number]['name'] | (typeof FINDING_MUTANTS)[number]['name'];

export interface Mutant extends MutantSpec {
  readonly name: MutantName;
}

export interface FindingMutant extends FindingMutantSpec {
  readonly name: MutantName;
}

export const mutants: readonly Mutant[] = MUTANTS;
export const findingMutants: readonly FindingMutant[] = FINDING_MUTANTS;

/** The property `heal check --mutant` reports first under this combination. */
export function expectedBreak(m: Mutant, persistency: Persistency, recovery: Recovery): string {
  return m.breaksIn?.[`${persistency}/${recovery}`] ?? m.breaks;
}

export function findMutant(name: string): Mutant | undefined {
  return mutants.find((m) => m.name === name) ?? findingMutants.find((m) => m.name === name);
}

export function isMutantName(name: string): name is MutantName {
  return findMutant(name) !== undefined;
}
