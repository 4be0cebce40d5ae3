/** A readable JSON display of a state, for replay's step-by-step diffs. */
import { keyList } from '../protocol/key-set.ts';
import { formatTs } from '../protocol/timestamp.ts';
import {
  KEY_STATUS_NAMES, ROLE_NAMES, CLIENT_WRITE,
} from '../protocol/types.ts';
import { describeMsg } from './describe.ts';
import { historyOf } from './history.ts';
import type { ClusterState } from './state.ts';

function nodesOf(mask: number): string[] {
  const out: string[] = [];
  for (let n = 0; mask >> n !== 0; n++) if ((mask & (1 << n)) !== 0) out.push(`n${n}`);
  return out;
}

/**
 * How replay reads displayOf (checker/model.ts DisplayLayout): the network is a multiset; the
 * linearizability monitor is the checker's bookkeeping, not protocol state, so replay
 * shows it only with --verbose. The client history stays: it is what clients saw, and
 * the only place a read's answer appears.
 */
export const DISPLAY_LAYOUT = {
  multisets: ['messages', 'linearizable[].pendingWrites'],
  internals: ['linearizable'],
  entities: ['nodes'],
} as const;

export function displayOf(s: ClusterState): unknown {
  return {
    epoch: s.epoch,
    budget: { writes: s.writesLeft, reads: s.readsLeft, scopes: s.scopesLeft, crashes: s.crashesLeft },
    nodes: s.nodes.map((n, i) => ({
      node: `n${i}`,
      role: ROLE_NAMES[n.role],
      incarnation: n.incarnation,
      keys: n.keys.map((k, key) => ({
        key: `k${key}`,
        value: k.value,
        ts: formatTs(k.ts),
        state: KEY_STATUS_NAMES[k.status],
        lastWriter: `n${k.lastWriter}`,
        ...(k.wts !== 0 ? { coordinates: formatTs(k.wts), acks: nodesOf(k.acks), writeEpoch: k.wepoch } : {}),
        ...(k.packs !== 0 ? { packs: nodesOf(k.packs) } : {}),
        durableMark: k.dmark,
      })),
      durable: n.durable.map((d, key) => ({ key: `k${key}`, ts: formatTs(d.ts), value: d.value })),
      pendingPersists: n.pending.map((p) => ({ key: `k${p.key}`, ts: formatTs(p.ts), value: p.value })),
      owed: n.owed.map((o) => ({ kind: ['ACK', 'PACK', 'SCOPE_ACK'][o.kind], key: `k${o.key}`, ts: formatTs(o.ts), to: `n${o.to}` })),
      partiallyPersisted: n.pp.flatMap((e, key) => (e ? [{ key: `k${key}`, ts: formatTs(e.ts), value: e.value, durableAt: nodesOf(e.conf) }] : [])),
      missedUpdates: n.mu.flatMap((b, f) =>
        b
          ? [{
              for: `n${f}`,
              frozen: b.frozen,
              entries: b.entries.flatMap((e, key) => (e ? [{ key: `k${key}`, ts: formatTs(e.ts), value: e.value, valid: e.valid }] : [])),
            }]
          : [],
      ),
      recovery: n.rec && {
        buddy: `n${n.rec.buddy}`,
        awaitingStartAck: nodesOf(n.rec.startWait),
        muKeysReceived: keyList(n.rec.muKeys).map((k) => `k${k}`),
        muEnd: n.rec.muEnd < 0 ? null : n.rec.muEnd,
        touched: keyList(n.rec.touched).map((k) => `k${k}`),
      },
      client: n.client && (n.client.kind === CLIENT_WRITE ? { write: `k${n.client.key}`, value: n.client.value } : { scopeEnd: n.client.waiting.map(nodesOf) }),
    })),
    messages: s.net.map((m) => `n${m.from}->n${m.to} ${describeMsg(m)}`),
    history: s.history === null ? '(not kept: this state was decoded)' : historyOf(s),
    // What the linearizability monitor still allows, per key (lin-monitor.ts).
    linearizable: s.lin.map((k, key) => ({
      key: `k${key}`,
      pendingWrites: k.pending.map((w) => ({ process: w.p, value: w.value })),
      possibleValues: [...new Set(k.configs.map((c) => c.value))],
    })),
  };
}
