/**
 * The transition function of the cluster model: routes each action to the node step
 * functions and their effects to the network, the history and the ghost records.
 * Pure: never mutates its input.
 */
import { buddyOf } from '../protocol/node.ts';
import { startScopeEnd } from '../protocol/persistency/scope.ts';
import { PERSISTENCY } from '../protocol/persistency/index.ts';
import { RECOVERY } from '../protocol/recovery/index.ts';
import {
  chooseNewBuddy, lostBuddy, memberSawCrash, memberSawPromotion, memberSawRestart, promoteSelf, rejoin, startStream,
  tracksPartiallyPersisted, voidedByCrash,
} from '../protocol/membership.ts';
import { crashedNode } from '../protocol/recovery.ts';
import { deliver, isStale } from '../protocol/replica.ts';
import { clientWrite, persistAndReact } from '../protocol/write-path.ts';
import { DURABLE, type Effects, type Msg, type NodeState } from '../protocol/types.ts';
import type { ClusterAction } from './actions.ts';
import { completeWrite, invokeWrite, read, type KeyLin } from './lin-monitor.ts';
import { makeCtx } from './context.ts';
import {
  compareMsg, nextValue, processOf, type ClusterConfig, type ClusterState, type GhostDurable, type HistEntry,
} from './state.ts';

function findMsg(net: readonly Msg[], m: Msg): number {
  for (let i = 0; i < net.length; i++) if (compareMsg(net[i]!, m) === 0) return i;
  return -1;
}

function insertSorted(net: Msg[], m: Msg): void {
  let lo = 0;
  let hi = net.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareMsg(net[mid]!, m) <= 0) lo = mid + 1;
    else hi = mid;
  }
  net.splice(lo, 0, m);
}

/** A mutable working copy for one step; turned back into a ClusterState at the end. */
interface Step {
  epoch: number;
  nodes: NodeState[];
  net: Msg[];
  history: HistEntry[] | null;
  lin: KeyLin[] | null;
  ghost: GhostDurable[] | null;
  base: ClusterState;
  fx: Effects;
}

function begin(s: ClusterState): Step {
  return { epoch: s.epoch, nodes: s.nodes.slice(), net: s.net.slice(), history: null, lin: null, ghost: null, base: s, fx: { sends: [], replies: [] } };
}

function view(st: Step, extra: Partial<ClusterState> = {}): ClusterState {
  return {
    ...st.base,
    epoch: st.epoch,
    nodes: st.nodes,
    net: st.net,
    history: st.history ?? st.base.history,
    lin: st.lin ?? st.base.lin,
    ghostDurable: st.ghost ?? st.base.ghostDurable,
    ghostReadNode: -1,
    ghostReadKey: 0,
    ...extra,
  };
}

function ctxFor(config: ClusterConfig, st: Step, n: number) {
  return makeCtx(config, { ...st.base, epoch: st.epoch, nodes: st.nodes }, n, st.fx);
}

function addHistory(st: Step, e: HistEntry): void {
  if (st.base.history !== null) {
    st.history ??= st.base.history.slice();
    st.history.push(e);
  }
  if (e.f === 2) return;
  st.lin ??= st.base.lin.slice();
  const k = st.lin[e.key]!;
  if (e.f === 0) {
    if (e.type === 1) st.lin[e.key] = read(k, e.value);
  } else {
    st.lin[e.key] = e.type === 0 ? invokeWrite(k, e.p, e.value) : completeWrite(k, e.p);
  }
}

/** C-SEND: messages to a down node are lost. DURABLE notices coalesce (a newer one subsumes an older one). */
function flush(config: ClusterConfig, st: Step, origin: number): void {
  for (const m of st.fx.sends) {
    if (st.nodes[m.to]!.role === 0) continue;
    if (m.type === DURABLE) {
      let covered = false;
      for (let i = st.net.length - 1; i >= 0; i--) {
        const o = st.net[i]!;
        if (o.type !== DURABLE || o.from !== m.from || o.to !== m.to || o.key !== m.key) continue;
        if (o.ts >= m.ts) covered = true;
        else st.net.splice(i, 1);
      }
      if (covered) continue;
    }
    // With duplicate delivery the network is a set, as in Hermes' TLA+ spec: a copy of a
    // message already in flight adds nothing (and keeps the state space finite).
    if (config.duplicates && findMsg(st.net, m) >= 0) continue;
    insertSorted(st.net, m);
  }
  st.fx.sends.length = 0;
  if (st.fx.replies.length > 0) {
    const node = st.nodes[origin]!;
    const p = processOf(config, origin, node.incarnation);
    const records = PERSISTENCY[config.persistency].records;
    for (const r of st.fx.replies) {
      if (r.f === 'write') {
        addHistory(st, { p, type: 1, f: 1, key: r.key, value: r.value });
        if (records === 'write-at-members') recordGhost(st, r.key, r.ts, membersMask(st));
      } else {
        addHistory(st, { p, type: 1, f: 2, key: 0, value: 0 });
        if (records === 'scope-at-replicas') recordScopeGhost(config, st, origin);
      }
    }
    st.fx.replies.length = 0;
  }
}

function membersMask(st: Step): number {
  let m = 0;
  for (let n = 0; n < st.nodes.length; n++) if (st.nodes[n]!.role !== 0) m |= 1 << n;
  return m;
}

function recordGhost(st: Step, key: number, ts: number, members: number): void {
  st.ghost ??= st.base.ghostDurable.slice();
  st.ghost.push({ key, ts, members });
}

/**
 * The writes of the scope just ended (the client's own writes, whose ts the history
 * does not carry) must be durable at every replica: a shadow admitted while the scope
 * end was pending was not asked, and becomes a replica only once durable.
 */
function recordScopeGhost(config: ClusterConfig, st: Step, origin: number): void {
  const before = st.base.nodes[origin]!;
  let replicas = 0;
  for (let n = 0; n < st.nodes.length; n++) if (st.nodes[n]!.role === 2) replicas |= 1 << n;
  for (let k = 0; k < config.keys; k++) {
    const ts = before.scopeTs[k]!;
    if (ts !== 0) recordGhost(st, k, ts, replicas);
  }
}

/**
 * The members holding a Missed_updates buffer for f: those that have been up since f
 * crashed (H-BUDDY). The membership service knows them from its view history; the model
 * reads them off the nodes.
 */
function bufferHolders(st: Step, f: number): number {
  let m = 0;
  for (let n = 0; n < st.nodes.length; n++) if (n !== f && st.nodes[n]!.role !== 0 && st.nodes[n]!.mu[f] !== null) m |= 1 << n;
  return m;
}

function gcStale(st: Step): void {
  st.net = st.net.filter((m) => !isStale(m, st.epoch));
}

function runNode(config: ClusterConfig, st: Step, n: number, f: (node: NodeState, ctx: ReturnType<typeof makeCtx>) => NodeState): void {
  st.nodes[n] = f(st.nodes[n]!, ctxFor(config, st, n));
  flush(config, st, n);
}

export function next(config: ClusterConfig, s: ClusterState, a: ClusterAction): ClusterState {
  const st = begin(s);
  switch (a.kind) {
    case 'write': {
      const value = nextValue(config, s);
      const node = st.nodes[a.node]!;
      addHistory(st, { p: processOf(config, a.node, node.incarnation), type: 0, f: 1, key: a.key, value });
      runNode(config, st, a.node, (nd, ctx) => clientWrite(nd, ctx, a.key, value));
      return view(st, { writesLeft: s.writesLeft - 1 });
    }
    case 'read': {
      const node = st.nodes[a.node]!;
      const p = processOf(config, a.node, node.incarnation);
      addHistory(st, { p, type: 0, f: 0, key: a.key, value: -1 });
      addHistory(st, { p, type: 1, f: 0, key: a.key, value: node.keys[a.key]!.value });
      return view(st, { readsLeft: s.readsLeft - 1, ghostReadNode: a.node, ghostReadKey: a.key });
    }
    case 'scope-end': {
      const node = st.nodes[a.node]!;
      addHistory(st, { p: processOf(config, a.node, node.incarnation), type: 0, f: 2, key: 0, value: 0 });
      runNode(config, st, a.node, (nd, ctx) => ctx.persistency.scopeEnd!(nd, ctx));
      return view(st, { scopesLeft: s.scopesLeft - 1 });
    }
    case 'deliver': {
      const i = findMsg(st.net, a.msg);
      if (i < 0) throw new Error(`deliver: message not in flight`);
      const m = st.net[i]!;
      if (!config.duplicates) st.net.splice(i, 1);
      runNode(config, st, m.to, (nd, ctx) => deliver(nd, ctx, m));
      return view(st);
    }
    case 'persist': {
      const node = st.nodes[a.node]!;
      const i = node.pending.findIndex((p) => p.key === a.key && p.ts === a.ts);
      if (i < 0) throw new Error(`persist: no pending persist of key ${a.key} ts ${a.ts} at n${a.node}`);
      runNode(config, st, a.node, (nd, ctx) => persistAndReact(nd, ctx, i));
      return view(st);
    }
    case 'crash':
      return crash(config, st, a.node);
    case 'restart':
      return restart(config, st, a.node);
    case 'promote':
      return promote(config, st, a.node);
    default: {
      const unreachable: never = a;
      throw new Error(`unknown action ${JSON.stringify(unreachable)}`);
    }
  }
}

function crash(config: ClusterConfig, st: Step, f: number): ClusterState {
  const was = st.nodes[f]!;
  st.nodes[f] = crashedNode(was, { nodes: config.nodes, keyCount: config.keys });
  st.epoch++;
  st.net = st.net.filter((m) => m.to !== f && !voidedByCrash(RECOVERY[config.recovery], config.mutant, m, f));
  gcStale(st);
  if (st.base.ghostDurable.length > 0) {
    st.ghost = st.base.ghostDurable.map((g) => ({ ...g, members: g.members & ~(1 << f) }));
  }
  for (let n = 0; n < config.nodes; n++) {
    if (n === f || st.nodes[n]!.role === 0) continue;
    runNode(config, st, n, (nd, ctx) => memberSawCrash(nd, ctx, f, was.role === 1));
  }
  for (let g = 0; g < config.nodes; g++) {
    if (!lostBuddy(st.nodes[g]!, f)) continue;
    runNode(config, st, g, (nd, ctx) => chooseNewBuddy(nd, ctx, bufferHolders(st, g)));
    const b = st.nodes[g]!.rec!.buddy;
    if (b >= 0) runNode(config, st, b, (nd, ctx) => startStream(nd, ctx, g));
  }
  // H-TRACK-PP: this crash is the last one the bounds allow.
  const recovery = RECOVERY[config.recovery];
  if (tracksPartiallyPersisted(recovery, st.base.crashesLeft) && !tracksPartiallyPersisted(recovery, st.base.crashesLeft - 1)) {
    for (let n = 0; n < config.nodes; n++) {
      const node = st.nodes[n]!;
      if (node.pp.some((e) => e !== null)) st.nodes[n] = { ...node, pp: node.pp.map(() => null) };
    }
    st.net = st.net.filter((m) => m.type !== DURABLE);
  }
  return view(st, { crashesLeft: st.base.crashesLeft - 1 });
}

function restart(config: ClusterConfig, st: Step, f: number): ClusterState {
  st.epoch++;
  st.nodes[f] = { ...st.nodes[f]!, role: 1 };
  gcStale(st);
  runNode(config, st, f, (nd, ctx) => rejoin(nd, ctx, bufferHolders(st, f)));
  for (let n = 0; n < config.nodes; n++) {
    if (n === f || st.nodes[n]!.role === 0) continue;
    runNode(config, st, n, (nd, ctx) => memberSawRestart(nd, ctx, f));
  }
  const b = st.nodes[f]!.rec!.buddy;
  if (b >= 0) runNode(config, st, b, (nd, ctx) => startStream(nd, ctx, f));
  return view(st);
}

function promote(config: ClusterConfig, st: Step, f: number): ClusterState {
  st.epoch++;
  gcStale(st);
  runNode(config, st, f, (nd, ctx) => promoteSelf(nd, ctx));
  for (let n = 0; n < config.nodes; n++) {
    if (n === f || st.nodes[n]!.role === 0) continue;
    runNode(config, st, n, (nd, ctx) => memberSawPromotion(nd, ctx, f));
  }
  return view(st);
}

export { buddyOf };
