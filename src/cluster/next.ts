/**
 * The transition function of the cluster model: routes each action to the node step
 * functions (src/protocol; the membership rules in membership.ts) and the effects they
 * emit to the network (network.ts) and the observers (observers.ts).
 * Pure: never mutates its input.
 */
import { buddyOf } from '../protocol/node.ts';
import { RECOVERY } from '../protocol/recovery/index.ts';
import {
  chooseNewBuddy, lostBuddy, memberSawCrash, memberSawPromotion, memberSawRestart, promoteSelf, rejoin, startStream,
  tracksPartiallyPersisted, voidedByCrash,
} from '../protocol/membership.ts';
import { crashedNode } from '../protocol/recovery.ts';
import { deliver, isStale } from '../protocol/replica.ts';
import { clientWrite, persistAndReact, serveRead } from '../protocol/write-path.ts';
import {
  DURABLE, MU, DOWN, REPLICA, SHADOW, type Effects, type Msg, type NodeState,
} from '../protocol/types.ts';
import type { ClusterAction } from './actions.ts';
import { makeCtx } from './context.ts';
import { send, take } from './network.ts';
import {
  clientEvent, crashed, invoked, observe, observed, replied, sentMu, settle, streamStarted, type Observed,
} from './observers.ts';
import { nextValue, processOf, type ClusterConfig, type ClusterState } from './state.ts';

/** A mutable working copy for one step; turned back into a ClusterState at the end. */
interface Step {
  epoch: number;
  nodes: NodeState[];
  net: Msg[];
  obs: Observed;
  /** A persist completed in this step: a durable store changed. */
  persisted: boolean;
  base: ClusterState;
  fx: Effects;
}

function begin(s: ClusterState): Step {
  return { epoch: s.epoch, nodes: s.nodes.slice(), net: s.net.slice(), obs: observe(s), persisted: false, base: s, fx: { sends: [], replies: [] } };
}

/** The state a step leaves, from its working copy (begin) and the counters it spent. */
function finish(st: Step, extra: Partial<ClusterState> = {}): ClusterState {
  // Guarantees are made (replies) and kept (persists) in steps that touch them; only those look.
  if (st.obs.ghost !== null || (st.persisted && st.base.ghostDurable.length > 0)) settle(st.obs, st.nodes);
  return {
    ...st.base,
    epoch: st.epoch,
    nodes: st.nodes,
    net: st.net,
    ...observed(st.obs),
    ghostReadNode: -1,
    ghostReadKey: 0,
    ghostReadTs: 0,
    ...extra,
  };
}

function ctxFor(config: ClusterConfig, st: Step, n: number) {
  return makeCtx(config, { ...st.base, epoch: st.epoch, nodes: st.nodes }, n, st.fx);
}

/** The effects a node step left (as data, like etcd raft's Ready): sends to the network, replies to the observers. */
function flush(config: ClusterConfig, st: Step, origin: number): void {
  for (const m of st.fx.sends) {
    if (m.type === MU) sentMu(st.obs, config, m.from, m.to, m.key);
    send(st.net, st.nodes, config.duplicates, m, config.coalesceDurable !== false);
  }
  st.fx.sends.length = 0;
  if (st.fx.replies.length > 0) {
    const p = processOf(config, origin, st.nodes[origin]!.incarnation);
    let members = 0;
    let replicas = 0;
    for (let n = 0; n < st.nodes.length; n++) {
      const role = st.nodes[n]!.role;
      if (role !== DOWN) members |= 1 << n;
      if (role === REPLICA) replicas |= 1 << n;
    }
    for (const r of st.fx.replies) replied(st.obs, config, origin, p, r, members, replicas);
    st.fx.replies.length = 0;
  }
}

/**
 * The members holding a Missed_updates buffer for f: those that have been up since f
 * crashed (H-BUDDY). The membership service knows them from its view history; the model
 * reads them off the nodes.
 */
function bufferHolders(st: Step, f: number): number {
  let m = 0;
  for (let n = 0; n < st.nodes.length; n++) if (n !== f && st.nodes[n]!.role !== DOWN && st.nodes[n]!.mu[f] !== null) m |= 1 << n;
  return m;
}

function gcStale(st: Step): void {
  st.net = st.net.filter((m) => !isStale(m, st.epoch));
}

function streamFrom(config: ClusterConfig, st: Step, b: number, f: number): void {
  streamStarted(st.obs, config, b, f);
  runNode(config, st, b, (nd, ctx) => startStream(nd, ctx, f));
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
      clientEvent(st.obs, { p: processOf(config, a.node, node.incarnation), type: 0, f: 1, key: a.key, value });
      invoked(st.obs, a.node, 1 + a.key);
      runNode(config, st, a.node, (nd, ctx) => clientWrite(nd, ctx, a.key, value));
      return finish(st, { writesLeft: s.writesLeft - 1 });
    }
    case 'read': {
      const node = st.nodes[a.node]!;
      const reply = serveRead(node, ctxFor(config, st, a.node), a.key);
      if (reply === null) throw new Error(`read: n${a.node} cannot serve a read of key ${a.key} now`);
      const p = processOf(config, a.node, node.incarnation);
      clientEvent(st.obs, { p, type: 0, f: 0, key: a.key, value: -1 });
      clientEvent(st.obs, { p, type: 1, f: 0, key: a.key, value: reply.value });
      return finish(st, { readsLeft: s.readsLeft - 1, ghostReadNode: a.node, ghostReadKey: a.key, ghostReadTs: reply.ts });
    }
    case 'scope-end': {
      const node = st.nodes[a.node]!;
      clientEvent(st.obs, { p: processOf(config, a.node, node.incarnation), type: 0, f: 2, key: 0, value: 0 });
      invoked(st.obs, a.node, config.keys + 1);
      runNode(config, st, a.node, (nd, ctx) => ctx.persistency.scopeEnd!(nd, ctx));
      return finish(st, { scopesLeft: s.scopesLeft - 1 });
    }
    case 'deliver': {
      const m = take(st.net, config.duplicates, a.msg);
      runNode(config, st, m.to, (nd, ctx) => deliver(nd, ctx, m));
      return finish(st);
    }
    case 'persist': {
      const node = st.nodes[a.node]!;
      const i = node.pending.findIndex((p) => p.key === a.key && p.ts === a.ts);
      if (i < 0) throw new Error(`persist: no pending persist of key ${a.key} ts ${a.ts} at n${a.node}`);
      st.persisted = true;
      runNode(config, st, a.node, (nd, ctx) => persistAndReact(nd, ctx, i));
      return finish(st);
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
  crashed(st.obs, config, f);
  for (let n = 0; n < config.nodes; n++) {
    if (n === f || st.nodes[n]!.role === DOWN) continue;
    runNode(config, st, n, (nd, ctx) => memberSawCrash(nd, ctx, f, was.role === SHADOW));
  }
  for (let g = 0; g < config.nodes; g++) {
    if (!lostBuddy(st.nodes[g]!, f)) continue;
    runNode(config, st, g, (nd, ctx) => chooseNewBuddy(nd, ctx, bufferHolders(st, g)));
    const b = st.nodes[g]!.rec!.buddy;
    if (b >= 0) streamFrom(config, st, b, g);
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
  return finish(st, { crashesLeft: st.base.crashesLeft - 1 });
}

function restart(config: ClusterConfig, st: Step, f: number): ClusterState {
  st.epoch++;
  st.nodes[f] = { ...st.nodes[f]!, role: SHADOW };
  gcStale(st);
  runNode(config, st, f, (nd, ctx) => rejoin(nd, ctx, bufferHolders(st, f)));
  for (let n = 0; n < config.nodes; n++) {
    if (n === f || st.nodes[n]!.role === DOWN) continue;
    runNode(config, st, n, (nd, ctx) => memberSawRestart(nd, ctx, f));
  }
  const b = st.nodes[f]!.rec!.buddy;
  if (b >= 0) streamFrom(config, st, b, f);
  return finish(st);
}

function promote(config: ClusterConfig, st: Step, f: number): ClusterState {
  st.epoch++;
  gcStale(st);
  runNode(config, st, f, (nd, ctx) => promoteSelf(nd, ctx));
  for (let n = 0; n < config.nodes; n++) {
    if (n === f || st.nodes[n]!.role === DOWN) continue;
    runNode(config, st, n, (nd, ctx) => memberSawPromotion(nd, ctx, f));
  }
  return finish(st);
}

export { buddyOf };
