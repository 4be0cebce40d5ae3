/**
 * The observers: monitor state recorded from what a step does at the boundary of the
 * protocol (client invocations and the replies a node emits as effects, persist
 * completions, membership events), beside the actors, as Stateright records
 * `record_msg_in/out`. Protocol rules never read it, and no observer reads a protocol
 * variable: that way a property judged on observer state can see a bug in the
 * protocol's own bookkeeping. spec/properties.md lists, per property, the observations
 * it reads; spec/properties/index.ts names them beside each property.
 *
 * - history + lin (LIN): client invocations and the replies they got.
 * - ghostScopeWrites (SCOPE-DURABLE): per node and key, the ts of the latest write its
 *   client was told completed since its last scope end (the write reply names its ts).
 * - ghostDurable (DUR-SYNCH, SCOPE-DURABLE): a guarantee made to a client (a write
 *   reply under Synchronous, a scope-end reply under Scope) and the members it binds,
 *   kept until the durable stores of all of them hold it.
 * - ghostReadNode/Key/Ts (SHADOW-NO-READ, READ-DURABLE-RENF): the read the step served
 *   and the ts its reply named.
 * - probeRead (AGREE, CONVERGE): what a client reading k at n would be answered now,
 *   through the node's read interface (serveRead), without taking a step.
 * - ghostStreamed (MU-NONREDUNDANT): MU messages each Buddy sent each shadow per key,
 *   counted from the step's sends since the membership service started the stream.
 * - ghostAwaiting (PROGRESS): per node, the client operation invoked and not answered.
 */
import { PERSISTENCY } from '../protocol/persistency/index.ts';
import type { NodeState, Reply } from '../protocol/types.ts';
import { serveRead } from '../protocol/write-path.ts';
import { makeCtx } from './context.ts';
import { completeWrite, invokeWrite, read, type KeyLin } from './lin-monitor.ts';
import type { ClusterConfig, ClusterState, GhostDurable, HistEntry, ScopeWrite } from './state.ts';

/** Copy-on-write working copies of the observer state for one step. */
export interface Observed {
  readonly base: ClusterState;
  history: HistEntry[] | null;
  lin: KeyLin[] | null;
  ghost: GhostDurable[] | null;
  scopeWrites: ScopeWrite[] | null;
  streamed: number[] | null;
  awaiting: number[] | null;
}

export function observe(base: ClusterState): Observed {
  return { base, history: null, lin: null, ghost: null, scopeWrites: null, streamed: null, awaiting: null };
}

/** PROGRESS's observation: the client at `node` invoked `op` (1 + key: a write; keys + 1: a scope end). */
export function invoked(o: Observed, node: number, op: number): void {
  setAwaiting(o, node, op);
}

function setAwaiting(o: Observed, node: number, op: number): void {
  const cur = o.awaiting ?? o.base.ghostAwaiting;
  if (cur[node] === op) return;
  o.awaiting ??= cur.slice();
  o.awaiting[node] = op;
}

/** LIN's observation: one client event, into the log for people and the online monitor. */
export function clientEvent(o: Observed, e: HistEntry): void {
  if (o.base.history !== null) {
    o.history ??= o.base.history.slice();
    o.history.push(e);
  }
  if (e.f === 2) return;
  o.lin ??= o.base.lin.slice();
  const k = o.lin[e.key]!;
  if (e.f === 0) {
    if (e.type === 1) o.lin[e.key] = read(k, e.value);
  } else {
    o.lin[e.key] = e.type === 0 ? invokeWrite(k, e.p, e.value) : completeWrite(k, e.p);
  }
}

/**
 * A reply a node emitted, as the client at `origin` (process p) sees it. `members` and
 * `replicas` are the view of the membership service at that moment (the nodes the
 * guarantee binds).
 */
export function replied(o: Observed, config: ClusterConfig, origin: number, p: number, r: Reply, members: number, replicas: number): void {
  setAwaiting(o, origin, 0);
  if (r.f === 'write') {
    clientEvent(o, { p, type: 1, f: 1, key: r.key, value: r.value });
    // Which guarantee the persistency model makes (its `records` hook).
    const records = PERSISTENCY[config.persistency].records;
    if (records === 'write-at-members') guarantee(o, r.key, r.ts, members);
    if (records === 'scope-at-replicas') scopeWrite(o, origin, r.key, r.ts);
  } else {
    clientEvent(o, { p, type: 1, f: 2, key: 0, value: 0 });
    // A shadow admitted while the scope end was pending was not asked, and becomes a
    // replica only once its persist pipeline is empty: the guarantee binds the replicas.
    scopeEnded(o, origin, replicas);
  }
}

function guarantee(o: Observed, key: number, ts: number, members: number): void {
  o.ghost ??= o.base.ghostDurable.slice();
  o.ghost.push({ key, ts, members });
}

/** Kept sorted by (node, key), one per pair: the encoding reads it as a set. */
function scopeWrite(o: Observed, node: number, key: number, ts: number): void {
  const list = (o.scopeWrites ??= o.base.ghostScopeWrites.slice());
  let i = 0;
  while (i < list.length && (list[i]!.node < node || (list[i]!.node === node && list[i]!.key < key))) i++;
  const w = { node, key, ts };
  if (i < list.length && list[i]!.node === node && list[i]!.key === key) list[i] = w;
  else list.splice(i, 0, w);
}

/** The writes the client at `node` was told completed since its last scope end become guarantees. */
function scopeEnded(o: Observed, node: number, replicas: number): void {
  const list = o.scopeWrites ?? o.base.ghostScopeWrites;
  if (!list.some((w) => w.node === node)) return;
  for (const w of list) if (w.node === node) guarantee(o, w.key, w.ts, replicas);
  o.scopeWrites = list.filter((w) => w.node !== node);
}

/**
 * A crash ends f's incarnation: no guarantee binds it any longer (FullCopy even drops
 * its store; its next incarnation is a new member), and its client process is over.
 */
export function crashed(o: Observed, config: ClusterConfig, f: number): void {
  const ghosts = o.ghost ?? o.base.ghostDurable;
  if (ghosts.length > 0) o.ghost = ghosts.map((g) => ({ ...g, members: g.members & ~(1 << f) }));
  const writes = o.scopeWrites ?? o.base.ghostScopeWrites;
  if (writes.some((w) => w.node === f)) o.scopeWrites = writes.filter((w) => w.node !== f);
  setAwaiting(o, f, 0);
  // f's streams as a Buddy end with it.
  const row = f * config.nodes * config.keys;
  const streamed = o.streamed ?? o.base.ghostStreamed;
  for (let i = row; i < row + config.nodes * config.keys; i++) {
    if (streamed[i] === 0) continue;
    o.streamed ??= streamed.slice();
    o.streamed[i] = 0;
  }
}

/**
 * Drops the guarantees that the durable stores of all their members now hold. Sound
 * because a member's durable store never goes back to an older ts while it stays a
 * member (persists only take a newer ts; only a crash loses a store, and a crash ends
 * membership), so such a record can never be violated again. Without it the records of
 * a long run pile up (DUR-SYNCH is checked on all of them at every state).
 */
export function settle(o: Observed, nodes: readonly NodeState[]): void {
  const ghosts = o.ghost ?? o.base.ghostDurable;
  if (ghosts.length === 0) return;
  let kept: GhostDurable[] | null = null;
  for (let i = 0; i < ghosts.length; i++) {
    const g = ghosts[i]!;
    if (isHeld(g, nodes)) kept ??= ghosts.slice(0, i);
    else if (kept !== null) kept.push(g);
  }
  if (kept !== null) o.ghost = kept;
}

function isHeld(g: GhostDurable, nodes: readonly NodeState[]): boolean {
  for (let m = 0; m < nodes.length; m++) {
    if ((g.members & (1 << m)) !== 0 && nodes[m]!.durable[g.key]!.ts < g.ts) return false;
  }
  return true;
}

/**
 * AGREE's and CONVERGE's observation: a probe read of k at node n in state s, the answer
 * a client would get (value and the ts the reply names), or null when n would not
 * answer now. A read changes nothing, so probing is not a step.
 */
export function probeRead(config: ClusterConfig, s: ClusterState, n: number, k: number): { readonly value: number; readonly ts: number } | null {
  return serveRead(s.nodes[n]!, makeCtx(config, s, n), k);
}

/** MU-NONREDUNDANT's observation: the membership service tells Buddy b to stream to f; a new stream starts. */
export function streamStarted(o: Observed, config: ClusterConfig, b: number, f: number): void {
  const at = (b * config.nodes + f) * config.keys;
  const cur = o.streamed ?? o.base.ghostStreamed;
  let zero = true;
  for (let k = 0; k < config.keys; k++) if (cur[at + k] !== 0) zero = false;
  if (zero) return;
  o.streamed ??= cur.slice();
  for (let k = 0; k < config.keys; k++) o.streamed[at + k] = 0;
}

/** An MU message b sent to f (from the step's effects, whether or not the network keeps it). */
export function sentMu(o: Observed, config: ClusterConfig, b: number, f: number, k: number): void {
  o.streamed ??= o.base.ghostStreamed.slice();
  const i = (b * config.nodes + f) * config.keys + k;
  o.streamed[i] = Math.min(2, o.streamed[i]! + 1);
}

/** The observer part of the state after the step. */
export function observed(o: Observed): Pick<ClusterState, 'history' | 'lin' | 'ghostDurable' | 'ghostScopeWrites' | 'ghostStreamed' | 'ghostAwaiting'> {
  return {
    history: o.history ?? o.base.history,
    lin: o.lin ?? o.base.lin,
    ghostDurable: o.ghost ?? o.base.ghostDurable,
    ghostScopeWrites: o.scopeWrites ?? o.base.ghostScopeWrites,
    ghostStreamed: o.streamed ?? o.base.ghostStreamed,
    ghostAwaiting: o.awaiting ?? o.base.ghostAwaiting,
  };
}
