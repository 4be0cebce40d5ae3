/**
 * The HEAL properties as pure predicates over the cluster state (spec/properties.md).
 * Each returns null when the property holds, else a one-line explanation. Each reads
 * observations only (spec/properties.md "Observations"), never a node's protocol
 * variables. This file imports only types from src/; role codes are spelled out below,
 * and the one observation that asks a node something, a probe read, is passed in.
 */
import type { ClusterConfig, ClusterState } from '../../src/cluster/state.ts';

const REPLICA = 2;
const SHADOW = 1;
const DOWN = 0;

/** A read's answer: the value and the ts the reply names. */
export interface ReadAnswer {
  readonly value: number;
  readonly ts: number;
}

/**
 * The observers' probe read (src/cluster/observers.ts probeRead): what a client reading
 * key k at node n would be answered in state s, through the node's read interface, or
 * null when n would not answer now.
 */
export type ReadProbe = (s: ClusterState, n: number, k: number) => ReadAnswer | null;

/** Same format as src/protocol/timestamp.ts formatTs (version.node'incarnation). */
function ts(t: number): string {
  const inc = (t % 256) >> 4;
  return `${Math.floor(t / 256)}.${t % 16}${inc === 0 ? '' : `'${inc}`}`;
}

/**
 * AGREE (state; Hermes' HConsistent seen from a client): every node that would answer a
 * read of a key now answers the same value and ts.
 */
export function agree(config: ClusterConfig, s: ClusterState, probe: ReadProbe): string | null {
  for (let k = 0; k < config.keys; k++) {
    let first = -1;
    let a: ReadAnswer | null = null;
    for (let n = 0; n < config.nodes; n++) {
      if (s.nodes[n]!.role === DOWN) continue;
      const b = probe(s, n, k);
      if (b === null) continue;
      if (a === null) {
        first = n;
        a = b;
        continue;
      }
      if (a.ts !== b.ts || a.value !== b.value) {
        return `n${first} and n${n} would both answer a read of k${k}, with ts ${ts(a.ts)} (v${a.value}) and ts ${ts(b.ts)} (v${b.value})`;
      }
    }
  }
  return null;
}

/** DUR-SYNCH (state, Synchronous) and SCOPE-DURABLE (state, Scope) share the ghost records. */
function ghostDurable(s: ClusterState, what: string): string | null {
  for (const g of s.ghostDurable) {
    for (let m = 0; m < s.nodes.length; m++) {
      if ((g.members & (1 << m)) === 0) continue;
      const d = s.nodes[m]!.durable[g.key]!;
      if (d.ts < g.ts) return `${what} (k${g.key}, ts ${ts(g.ts)}) is not durable at member n${m} (its durable store holds ts ${ts(d.ts)})`;
    }
  }
  return null;
}

export function durSynch(_config: ClusterConfig, s: ClusterState): string | null {
  return ghostDurable(s, 'a completed write');
}

export function scopeDurable(_config: ClusterConfig, s: ClusterState): string | null {
  return ghostDurable(s, 'a write of a returned scope end');
}

/** PERSIST-ORDER-STRICT (state, Strict): what a node made durable precedes, in apply order, everything still pending. */
export function persistOrderStrict(config: ClusterConfig, s: ClusterState): string | null {
  for (let n = 0; n < config.nodes; n++) {
    const node = s.nodes[n]!;
    if (node.role === DOWN) continue;
    let maxDurable = 0;
    let maxKey = 0;
    for (let k = 0; k < config.keys; k++) {
      if (node.durable[k]!.seq > maxDurable) {
        maxDurable = node.durable[k]!.seq;
        maxKey = k;
      }
    }
    for (const p of node.pending) {
      if (p.seq < maxDurable) {
        return `n${n} made k${maxKey} (applied #${maxDurable}) durable while k${p.key} ts ${ts(p.ts)} (applied #${p.seq}, earlier) is still pending: a hole, not a prefix`;
      }
    }
  }
  return null;
}

/** The read the last step served, if it was a read: [node, key] (ghost, see ClusterState). */
function lastRead(_config: ClusterConfig, s: ClusterState): [number, number] | null {
  return s.ghostReadNode < 0 ? null : [s.ghostReadNode, s.ghostReadKey];
}

/** READ-DURABLE-RENF (state, Read-Enforced): the value a read just returned (the ts its reply named) is durable at every replica. */
export function readDurableRenf(config: ClusterConfig, s: ClusterState): string | null {
  const r = lastRead(config, s);
  if (r === null) return null;
  const [reader, k] = r;
  const t = s.ghostReadTs;
  for (let m = 0; m < config.nodes; m++) {
    const node = s.nodes[m]!;
    if (node.role !== REPLICA) continue;
    if (node.durable[k]!.ts < t) return `n${reader} returned k${k} ts ${ts(t)} to a read, but replica n${m} has only ts ${ts(node.durable[k]!.ts)} durable`;
  }
  return null;
}

/** SHADOW-NO-READ (state): the node that just answered a read is a replica. */
export function shadowNoRead(config: ClusterConfig, s: ClusterState): string | null {
  const r = lastRead(config, s);
  if (r === null) return null;
  const role = s.nodes[r[0]]!.role;
  return role === REPLICA ? null : `n${r[0]} answered a read of k${r[1]} while it was ${role === SHADOW ? 'a shadow' : 'not a member'}`;
}

/** MU-NONREDUNDANT (state, HEAL): within one Buddy stream the shadow is sent each key at most once. */
export function muNonRedundant(config: ClusterConfig, s: ClusterState): string | null {
  const g = s.ghostStreamed;
  for (let i = 0; i < g.length; i++) {
    if (g[i]! <= 1) continue;
    const pair = Math.floor(i / config.keys);
    return `Buddy n${Math.floor(pair / config.nodes)} sent k${i % config.keys} to n${pair % config.nodes} more than once in one Missed_updates stream`;
  }
  return null;
}

/** RECOVERY-COMPLETES (quiescent): no shadow is left waiting. */
export function recoveryCompletes(config: ClusterConfig, s: ClusterState): string | null {
  for (let n = 0; n < config.nodes; n++) {
    if (s.nodes[n]!.role === SHADOW) return `n${n} is still a shadow with nothing left in flight: its recovery never completes`;
  }
  return null;
}

/**
 * CONVERGE (quiescent): every member answers a read of every key, all with the same value
 * and ts, and its durable store holds that very update.
 */
export function converge(config: ClusterConfig, s: ClusterState, probe: ReadProbe): string | null {
  for (let k = 0; k < config.keys; k++) {
    let ref = -1;
    let a: ReadAnswer | null = null;
    for (let n = 0; n < config.nodes; n++) {
      const node = s.nodes[n]!;
      if (node.role === DOWN) continue;
      const b = probe(s, n, k);
      if (b === null) return `member n${n} would not answer a read of k${k} with nothing left in flight`;
      const d = node.durable[k]!;
      if (d.ts !== b.ts || d.value !== b.value) return `member n${n} answers a read of k${k} with ts ${ts(b.ts)} (v${b.value}) but its durable store has ts ${ts(d.ts)} (v${d.value}) with no persist pending`;
      if (a === null) {
        ref = n;
        a = b;
      } else if (a.ts !== b.ts || a.value !== b.value) {
        return `members n${ref} and n${n} answer a read of k${k} differently: ts ${ts(a.ts)} v${a.value} vs ts ${ts(b.ts)} v${b.value}`;
      }
    }
  }
  return null;
}

/**
 * LIN (state): the client history so far is linearizable w.r.t. the HEAL store, with
 * pending operations indeterminate. Judged on the online monitor that stands for the
 * history in the state (src/cluster/lin-monitor.ts): it has no configuration left
 * exactly when no linearization exists. model/heal.ts confirms every verdict with
 * the linearizability checker whenever the state still carries its full history.
 */
export function linearizable(config: ClusterConfig, s: ClusterState): string | null {
  for (let k = 0; k < config.keys; k++) {
    if (s.lin[k]!.configs.length === 0) return `the client history of k${k} is not linearizable for the HEAL store (no order of its operations explains every result)`;
  }
  return null;
}

/**
 * PROGRESS (terminal): nothing is stuck, i.e. no client operation invoked at a live node
 * is left unanswered (observed: invocations and replies, not the node's own record of
 * its client operation, which a node that drops it would clear).
 */
export function progress(config: ClusterConfig, s: ClusterState): string | null {
  for (let n = 0; n < config.nodes; n++) {
    const op = s.ghostAwaiting[n]!;
    if (s.nodes[n]!.role !== DOWN && op !== 0) {
      return `no action is enabled but n${n}'s client ${op <= config.keys ? `write of k${op - 1}` : 'scope end'} never returns`;
    }
  }
  for (const m of s.net) return `no action is enabled but a message from n${m.from} to n${m.to} is in flight`;
  return null;
}
