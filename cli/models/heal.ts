/**
 * The HEAL cluster as a checker Model. src/cluster knows nothing of the checker; this
 * file is where the two meet, and where LIN is assembled from the linearizability
 * checker and the HEAL store's sequential specification.
 */
import { z } from 'zod';
import type { Model, Property } from '../../checker/model.ts';
import { checkEvents } from '../../checker/lincheck/check.ts';
import { healStoreModel } from '../../spec/models/heal-store.ts';
import { propertiesFor } from '../../spec/properties/index.ts';
import {
  actionKey, actions, decode, describeAction, encode, historyOf, initialState, isQuiescent, next, viewOf,
  type ClusterAction, type ClusterConfig, type ClusterState,
} from '../../src/cluster/index.ts';
import { historyKey } from '../../src/cluster/history.ts';
import { mutants } from '../../src/mutants.ts';
import { InputError } from '../errors.ts';

const count = (max: number) => z.number().int().min(0).max(max);

export const healConfigSchema = z.object({
  nodes: z.number().int().min(2).max(15),
  keys: z.number().int().min(1).max(16),
  persistency: z.enum(['synch', 'strict', 'renf', 'scope', 'eventual']),
  recovery: z.enum(['heal', 'fullcopy']),
  writes: count(64),
  reads: count(64),
  scopes: count(16),
  crashes: count(15),
  duplicates: z.boolean(),
  mutant: z.string().nullable(),
}).strict();

export type HealConfig = z.infer<typeof healConfigSchema>;

export const DEFAULT_HEAL_CONFIG: HealConfig = {
  nodes: 3, keys: 1, persistency: 'synch', recovery: 'heal', writes: 2, reads: 1, scopes: 0, crashes: 1,
  duplicates: false, mutant: null,
};

export function parseHealConfig(config: unknown): ClusterConfig {
  const parsed = healConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(config)';
    throw new InputError(`heal config: field '${field}': ${issue.message}`);
  }
  const c = parsed.data;
  if (c.mutant !== null && !mutants.some((m) => m.name === c.mutant)) {
    throw new InputError(`heal config: field 'mutant': unknown mutant '${c.mutant}' (expected one of: ${mutants.map((m) => m.name).join(', ')})`);
  }
  return c;
}

/**
 * LIN: the client history is linearizable w.r.t. the HEAL store (per key, initial
 * value 0). Checked on every state, not only terminal ones: operations still pending
 * count as indeterminate, so a history prefix that is not linearizable can never become
 * linearizable, and catching it early gives short counterexamples.
 */
function linProperty(): Property<ClusterState> {
  const store = healStoreModel(0);
  // Most steps leave the history array untouched (structural sharing), so an identity
  // memo answers almost every call. Decoded states have fresh arrays: they fall back to
  // a memo keyed by the history up to its canonical order (historyKey), under which the
  // verdict cannot change (see canonicalHistory), so reordered histories share a verdict.
  const byRef = new WeakMap<object, string | null>();
  const memo = new Map<string, string | null>();
  return {
    id: 'LIN',
    scope: 'state',
    check(s) {
      if (s.history.length === 0) return null;
      const ref = byRef.get(s.history);
      if (ref !== undefined) return ref;
      const key = historyKey(s.history);
      let verdict = memo.get(key);
      if (verdict === undefined) {
        const events = historyOf(s);
        const r = checkEvents(events, store, { explain: false, timeoutMs: 10_000 });
        verdict =
          r.result === 'ok' ? null
          : r.result === 'illegal' ? `the client history (${events.length} events) is not linearizable for the HEAL store`
          : 'the linearizability check ran out of time (unknown)';
        if (memo.size > 200_000) memo.clear();
        memo.set(key, verdict);
      }
      byRef.set(s.history, verdict);
      return verdict;
    },
  };
}

export function createHealModel(config: unknown): Model<ClusterState, ClusterAction> {
  const c = parseHealConfig(config);
  const properties: Property<ClusterState>[] = propertiesFor(c).map((p) => ({
    id: p.id,
    scope: p.scope,
    check: (s: ClusterState) => p.check(c, s),
  }));
  properties.push(linProperty());
  return {
    name: `heal(${c.persistency}, ${c.recovery}, nodes=${c.nodes}, keys=${c.keys}${c.mutant ? `, mutant=${c.mutant}` : ''})`,
    initialStates: () => [initialState(c)],
    actions: (s) => actions(c, s),
    next: (s, a) => next(c, s, a),
    encode: (s) => encode(s),
    decode: (bytes) => decode(c, bytes),
    isQuiescent: (s) => isQuiescent(c, s),
    properties,
    describeAction: (a) => describeAction(a),
    actionKey: (a) => actionKey(a),
    view: (s) => viewOf(s),
  };
}
