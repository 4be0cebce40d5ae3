/**
 * Scope (spec/persistency.md "Scope"): a client's scope end returns once every write of
 * the scope is durable at every member it asked (P-SCOPE-*). Guarantee: SCOPE-DURABLE.
 */
import { bit, broadcast, others, replaceAt } from '../node.ts';
import { answerWhenDurable, durableCovers } from '../persistency.ts';
import { CLIENT_SCOPE, OWED_SCOPE, PERSIST_SCOPE, SCOPE_ACK, type Ctx, type NodeState } from '../types.ts';
import { BASE_MODEL, type PersistencyModel } from './model.ts';

/** P-SCOPE-END: send PERSIST_SCOPE for every key written in the scope. */
export function startScopeEnd(node: NodeState, ctx: Ctx): NodeState {
  const waiting: number[] = [];
  for (let k = 0; k < ctx.keyCount; k++) {
    const ts = node.scopeTs[k]!;
    if (ts === 0) {
      waiting.push(0);
      continue;
    }
    waiting.push(others(ctx));
    broadcast(ctx, PERSIST_SCOPE, k, ts);
  }
  const next: NodeState = { ...node, client: { kind: CLIENT_SCOPE, key: 0, ts: 0, value: 0, waiting } };
  return tryScopeDone(next, ctx);
}

/** P-SCOPE-RCV. */
export function onPersistScope(node: NodeState, ctx: Ctx, from: number, k: number, ts: number): NodeState {
  return answerWhenDurable(node, ctx, OWED_SCOPE, k, ts, from);
}

/**
 * P-SCOPE-ACK. Only an answer to this scope end counts (finding F14): it names the ts the
 * PERSIST_SCOPE asked about, which is the client's latest write of k in this scope, so no
 * earlier scope end asked for it. A SCOPE_ACK of an earlier scope end (re-delivered, or
 * left in flight by a node that crashed and came back) would otherwise end this one while
 * its writes are not durable at the sender. Mutant scope-ack-unmatched: any SCOPE_ACK counts.
 */
export function onScopeAck(node: NodeState, ctx: Ctx, from: number, k: number, ts: number): NodeState {
  const c = node.client;
  if (c === null || c.kind !== CLIENT_SCOPE) return node;
  if (ts !== node.scopeTs[k] && ctx.mutant !== 'scope-ack-unmatched') return node;
  const waiting = replaceAt(c.waiting, k, c.waiting[k]! & ~bit(from));
  return tryScopeDone({ ...node, client: { ...c, waiting } }, ctx);
}

/**
 * P-SCOPE-DONE. Mutant scope-end-early: returns once the local copy is durable, without
 * the members' answers. A no-op unless the client is in a scope end, so the cluster may
 * try it after any crash whatever the model.
 */
export function tryScopeDone(node: NodeState, ctx: Ctx): NodeState {
  const c = node.client;
  if (c === null || c.kind !== CLIENT_SCOPE) return node;
  for (let k = 0; k < ctx.keyCount; k++) {
    if (ctx.mutant !== 'scope-end-early' && (c.waiting[k]! & ctx.members) !== 0) return node;
    if (!durableCovers(node, k, node.scopeTs[k]!)) return node;
  }
  ctx.out.replies.push({ f: 'scope-end', key: 0, value: 0, ts: 0 });
  return { ...node, client: null, scopeTs: node.scopeTs.map(() => 0) };
}

export const scope: PersistencyModel & { readonly name: 'scope' } = {
  ...BASE_MODEL,
  name: 'scope',
  title: 'Scope',
  guarantee: 'SCOPE-DURABLE',
  records: 'scope-at-replicas',
  onClientWrite(node, ctx, k, ts) {
    const scopeTs = node.scopeTs.slice();
    // Mutant scope-ts-first-write: the scope end asks about the key's first write in the scope, not its latest.
    if (ctx.mutant !== 'scope-ts-first-write' || scopeTs[k] === 0) scopeTs[k] = ts;
    return { ...node, scopeTs };
  },
  afterPersist: (node, ctx) => tryScopeDone(node, ctx),
  messages: [PERSIST_SCOPE, SCOPE_ACK],
  onMessage: (node, ctx, m) =>
    m.type === PERSIST_SCOPE ? onPersistScope(node, ctx, m.from, m.key, m.ts) : onScopeAck(node, ctx, m.from, m.key, m.ts),
  scopeEnd: startScopeEnd,
};
