/**
 * The global state of the cluster model (spec/cluster-model.md "State components").
 */
import { emptyNode } from '../protocol/recovery.ts';
import type { Msg, NodeState, Persistency, Recovery } from '../protocol/types.ts';
import { DOWN, REPLICA } from '../protocol/types.ts';
import type { MutantName } from '../mutants.ts';
import { initialLin, type KeyLin } from './lin-monitor.ts';

export interface ClusterConfig {
  readonly nodes: number;
  readonly keys: number;
  readonly persistency: Persistency;
  readonly recovery: Recovery;
  readonly writes: number;
  readonly reads: number;
  readonly scopes: number;
  readonly crashes: number;
  readonly duplicates: boolean;
  readonly mutant: MutantName | null;
  /**
   * RED-DURABLE-COALESCE (absent: on). heal conform turns it off for a log of a real
   * network, which delivers every notice sent: with it on, the model cannot receive a
   * notice a newer one from the same sender overtook in flight.
   */
  readonly coalesceDurable?: boolean;
}

/**
 * The bounds of a configuration, one place for every schema and flag that takes one.
 * Crashes: a timestamp's writer slot holds 16 incarnations per node (protocol/timestamp.ts),
 * so a node may crash at most 15 times; the budget is cluster-wide, hence at most 15.
 * Nodes and keys: the bounds every command has accepted so far (the node field of a
 * writer slot would take 16 nodes).
 */
export const CLUSTER_LIMITS = {
  nodes: { min: 2, max: 15 },
  keys: { min: 1, max: 16 },
  crashes: { min: 0, max: 15 },
} as const;

/** The configuration tests and benchmarks start from (three nodes, one key, one crash). */
export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = {
  nodes: 3, keys: 1, persistency: 'synch', recovery: 'heal', writes: 2, reads: 1, scopes: 0, crashes: 1,
  duplicates: false, mutant: null,
};

/** History entry, compact: f 0 read, 1 write, 2 scope-end; type 0 invoke, 1 ok. */
export interface HistEntry {
  readonly p: number;
  readonly type: 0 | 1;
  readonly f: 0 | 1 | 2;
  readonly key: number;
  /** invoke of a read: -1 (null); otherwise the value. */
  readonly value: number;
}

/**
 * Ghost (monitor-only) record of a guarantee made at some moment: a write completed
 * under Synchronous, or a scope end returned under Scope. `members` are the nodes that
 * must hold ts (or newer) for key durably; a crash removes the node from it (its
 * incarnation is over; FullCopy even drops its store). Protocol rules never read this.
 */
export interface GhostDurable {
  readonly key: number;
  readonly ts: number;
  readonly members: number;
}

/**
 * Ghost: the ts of the latest write the client at `node` was told completed (key `key`)
 * since its last scope end, recorded from the write reply (observers.ts). Scope only.
 */
export interface ScopeWrite {
  readonly node: number;
  readonly key: number;
  readonly ts: number;
}

export interface ClusterState {
  readonly epoch: number;
  readonly nodes: readonly NodeState[];
  /** Messages in flight, kept sorted by compareMsg so the multiset has one representation. */
  readonly net: readonly Msg[];
  readonly writesLeft: number;
  readonly readsLeft: number;
  readonly scopesLeft: number;
  readonly crashesLeft: number;
  /**
   * The client history of the path this state object was computed along: a log for
   * people (replay shows it, LIN counterexamples are confirmed on it), not part of the
   * state's identity. `lin` holds all that any property needs from the history, so the
   * encoding carries `lin` and not this log: a decoded state has null here, and so has
   * every state computed from it.
   */
  readonly history: readonly HistEntry[] | null;
  /** Ghost: the online linearizability monitor, per key (lin-monitor.ts). */
  readonly lin: readonly KeyLin[];
  readonly ghostDurable: readonly GhostDurable[];
  /** Sorted by (node, key), one per pair. */
  readonly ghostScopeWrites: readonly ScopeWrite[];
  /**
   * Ghost: MU messages sent, per (Buddy b, shadow f, key k) at ((b * nodes) + f) * keys + k,
   * since the membership service last told b to stream to f (saturating at 2).
   */
  readonly ghostStreamed: readonly number[];
  /**
   * Ghost: per node, the client operation invoked there and not yet answered: 0 none,
   * 1 + k a write of key k, keys + 1 a scope end. A crash ends the client process.
   */
  readonly ghostAwaiting: readonly number[];
  /**
   * Ghost: the read the last step performed (node, key) and the ts its reply named, or
   * -1. Set by a read and cleared by every other step, so per-state properties can judge
   * the read in the state it was served from (a read changes nothing else).
   */
  readonly ghostReadNode: number;
  readonly ghostReadKey: number;
  readonly ghostReadTs: number;
}

export function initialState(config: ClusterConfig): ClusterState {
  const nodes: NodeState[] = [];
  for (let n = 0; n < config.nodes; n++) nodes.push(emptyNode({ nodes: config.nodes, keyCount: config.keys }, 0));
  return {
    epoch: 0,
    nodes,
    net: [],
    writesLeft: config.writes,
    readsLeft: config.reads,
    scopesLeft: config.scopes,
    crashesLeft: config.crashes,
    history: [],
    lin: initialLin(config.keys),
    ghostDurable: [],
    ghostScopeWrites: [],
    ghostStreamed: new Array<number>(config.nodes * config.nodes * config.keys).fill(0),
    ghostAwaiting: new Array<number>(config.nodes).fill(0),
    ghostReadNode: -1,
    ghostReadKey: 0,
    ghostReadTs: 0,
  };
}

export function processOf(config: ClusterConfig, node: number, incarnation: number): number {
  return node + config.nodes * incarnation;
}

/** The nodes in the membership (any role but down), as a bit mask. */
export function membersOf(s: { readonly nodes: readonly NodeState[] }): number {
  let m = 0;
  for (let n = 0; n < s.nodes.length; n++) if (s.nodes[n]!.role !== DOWN) m |= 1 << n;
  return m;
}

export function replicasOf(s: ClusterState): number {
  let m = 0;
  for (let n = 0; n < s.nodes.length; n++) if (s.nodes[n]!.role === REPLICA) m |= 1 << n;
  return m;
}

export function compareMsg(a: Msg, b: Msg): number {
  return (
    a.type - b.type || a.from - b.from || a.to - b.to || a.key - b.key ||
    a.ts - b.ts || a.value - b.value || a.epoch - b.epoch ||
    a.durableAt - b.durableAt || a.count - b.count || Number(a.valid) - Number(b.valid)
  );
}

export function nextValue(config: ClusterConfig, s: ClusterState): number {
  return config.writes - s.writesLeft + 1;
}
