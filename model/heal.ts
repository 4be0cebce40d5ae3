/**
 * The HEAL cluster as a checker Model. src/cluster knows nothing of the checker; this
 * file is where the two meet, and where LIN is assembled from the linearizability
 * checker and the HEAL store's sequential specification. The CLI, the tests and the
 * benchmarks all build the model here, so none of them needs the others.
 */
import * as z from 'zod';
import type { Model, Property } from '../checker/model.ts';
import { checkEvents } from '../checker/lincheck/check.ts';
import { formatExplanation } from '../checker/lincheck/explain.ts';
import { healStoreModel } from '../spec/models/heal-store.ts';
import { propertiesFor } from '../spec/properties/index.ts';
import {
  actionKey, actions, decode, describeAction, encode, historyOf, initialState, isQuiescent, next, probeRead, stutterCapable, displayOf, DISPLAY_LAYOUT,
  type ClusterAction, type ClusterConfig, type ClusterState,
} from '../src/cluster/index.ts';
import { historyKey } from '../src/cluster/history.ts';
import { canonicalValues } from '../src/cluster/value-symmetry.ts';
import { CLUSTER_LIMITS } from '../src/cluster/state.ts';
import type { HistEntry } from '../src/cluster/state.ts';
import { MSG_NAMES } from '../src/protocol/types.ts';
import { findMutant, mutants, type MutantName } from '../src/mutants.ts';
import { PERSISTENCIES } from '../src/protocol/persistency/index.ts';
import { RECOVERIES } from '../src/protocol/recovery/index.ts';
import { checkHealAction } from './heal-action-schema.ts';

const count = (max: number) => z.number().int().min(0).max(max);

export const healConfigSchema = z.object({
  nodes: z.number().int().min(CLUSTER_LIMITS.nodes.min).max(CLUSTER_LIMITS.nodes.max),
  keys: z.number().int().min(CLUSTER_LIMITS.keys.min).max(CLUSTER_LIMITS.keys.max),
  persistency: z.enum(PERSISTENCIES),
  recovery: z.enum(RECOVERIES),
  // Large budgets come from long runs judged by heal conform; the checker's flags stay small.
  writes: count(1_000_000),
  reads: count(1_000_000),
  scopes: count(1_000_000),
  crashes: count(CLUSTER_LIMITS.crashes.max),
  duplicates: z.boolean(),
  mutant: z.string().nullable(),
  coalesceDurable: z.boolean().optional(),
}).strict();

export type HealConfig = z.infer<typeof healConfigSchema>;

/** A configuration the HEAL model does not accept; the message names the field. The CLI reports it as bad input. */
export class HealConfigError extends Error {
  override readonly name = 'HealConfigError';
}

export function parseHealConfig(config: unknown): ClusterConfig {
  const parsed = healConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(config)';
    throw new HealConfigError(`heal config: field '${field}': ${issue.message}`);
  }
  const c = parsed.data;
  if (c.mutant !== null && findMutant(c.mutant) === undefined) {
    throw new HealConfigError(`heal config: field 'mutant': unknown mutant '${c.mutant}' (expected one of: ${mutants.map((m) => m.name).join(', ')})`);
  }
  return { ...c, mutant: c.mutant as MutantName | null };
}

/**
 * LIN as the checker runs it: the online monitor's verdict (spec/properties
 * `linearizable`), confirmed by the linearizability checker on the full client history
 * whenever the state carries one (replays, random walks, states not decoded). A
 * disagreement is a bug in one of the two and stops the run. On a violation the
 * checker's explanation (the operations that cannot be ordered) is the message.
 */
function linProperty(monitorVerdict: (s: ClusterState) => string | null): Property<ClusterState> {
  const store = healStoreModel(0);
  // Most steps leave the history array untouched (structural sharing), so an identity
  // memo answers almost every call; otherwise a memo keyed by the history up to its
  // canonical order (historyKey), under which the verdict cannot change.
  const byRef = new WeakMap<object, string | null>();
  const memo = new Map<string, string | null>();
  const confirmed = (history: readonly HistEntry[], s: ClusterState): string | null => {
    const ref = byRef.get(history);
    if (ref !== undefined) return ref;
    const key = historyKey(history);
    let verdict = memo.get(key);
    if (verdict === undefined) {
      const events = historyOf(s);
      const r = checkEvents(events, store, { explain: true, timeoutMs: 10_000 });
      if (r.result === 'unknown') throw new Error('LIN: the linearizability check of a model history ran out of time');
      verdict = r.result === 'ok' ? null : `${monitorVerdict(s) ?? 'not linearizable'}; ${formatExplanation(store, r.explanation!)[1]}`;
      if (memo.size > 200_000) memo.clear();
      memo.set(key, verdict);
    }
    byRef.set(history, verdict);
    return verdict;
  };
  return {
    id: 'LIN',
    scope: 'state',
    check(s) {
      const monitor = monitorVerdict(s);
      if (s.history === null || s.history.length === 0) return monitor;
      const checker = confirmed(s.history, s);
      if ((checker === null) !== (monitor === null)) {
        throw new Error(`LIN: the online monitor says ${monitor === null ? 'linearizable' : 'not linearizable'} but the linearizability checker disagrees on ${JSON.stringify(historyOf(s))}`);
      }
      return checker;
    },
  };
}

/**
 * What swarm walks weight (checker/explore/random.ts): a client operation by node, so a
 * walk can send all its client's operations to one node (a scope is one node's writes,
 * ended at that node), and a delivery by message type, so a walk can favour, say,
 * SCOPE_ACKs over the INVs and DURABLE notices that crowd the network.
 */
export function actionKind(a: ClusterAction): string {
  switch (a.kind) {
    case 'write':
    case 'read':
    case 'scope-end':
      return `${a.kind} n${a.node}`;
    case 'deliver':
      return `deliver ${MSG_NAMES[a.msg.type]}`;
    default:
      return a.kind;
  }
}

export function createHealModel(config: unknown): Model<ClusterState, ClusterAction> {
  const c = parseHealConfig(config);
  const probe = (s: ClusterState, n: number, k: number) => probeRead(c, s, n, k);
  const properties: Property<ClusterState>[] = propertiesFor(c).map((p) =>
    p.id === 'LIN' ? linProperty((s) => p.check(c, s, probe)) : { id: p.id, scope: p.scope, check: (s: ClusterState) => p.check(c, s, probe) },
  );
  return {
    name: `heal(${c.persistency}, ${c.recovery}, nodes=${c.nodes}, keys=${c.keys}${c.mutant ? `, mutant=${c.mutant}` : ''})`,
    initialStates: () => [initialState(c)],
    actions: (s) => actions(c, s),
    next: (s, a) => next(c, s, a),
    encode: (s) => encode(s),
    decode: (bytes) => decode(c, bytes),
    canonicalize: (s) => canonicalValues(c, s),
    isQuiescent: (s) => isQuiescent(c, s),
    ...(c.duplicates ? { stutterCapable: (a: ClusterAction) => stutterCapable(c, a) } : {}),
    properties,
    describeAction: (a) => describeAction(a),
    actionKind: (a) => actionKind(a),
    actionKey: (a) => actionKey(a),
    checkAction: (raw) => checkHealAction(c, raw),
    display: (s) => displayOf(s),
    displayLayout: DISPLAY_LAYOUT,
  };
}
