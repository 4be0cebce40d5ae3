/**
 * What one step of the cluster model looks like to the nodes that take part in it, as
 * events of the event-log format (spec/event-log-format.md). Exporting a run and
 * judging another implementation's log both go through stepEvents, so the events a
 * log is checked against are exactly the ones our own runs export.
 *
 * Events are derived from the states before and after the step (sends are the messages
 * that entered the network, persists the entries that entered a pipeline), so the
 * model's own code stays free of logging. Values are the model's write values (0 is the
 * initial value); a conformance check renames them to the log's.
 */
import { streamComplete } from '../protocol/recovery.ts';
import {
  MSG_NAMES, CLIENT_WRITE, DOWN, MU, type Msg, type NodeState,
} from '../protocol/types.ts';
import { incarnationOf, versionOf, writerOf } from '../protocol/timestamp.ts';
import type { ClusterAction } from './actions.ts';
import { compareMsg, nextValue, type ClusterConfig, type ClusterState } from './state.ts';

export type MsgName = (typeof MSG_NAMES)[number];
/** [version, writer node, writer incarnation]; the incarnation may be omitted in a log. */
export type LogTs = readonly [number, number, number?];

/** A message as the log carries it: only the fields its kind uses (spec/messages.md). */
export interface LogMsg {
  readonly type: MsgName;
  readonly from?: number;
  readonly to?: number;
  readonly key?: number;
  readonly ts?: LogTs;
  /** A written value: INV and MU. */
  readonly value?: number;
  readonly epoch?: number;
  /** MU: the entry was Valid at the Buddy. */
  readonly valid?: boolean;
  /** PVAL: the nodes known to hold ts durably. */
  readonly nodes?: readonly number[];
  /** MU and MU_END: the stream's entry count. */
  readonly count?: number;
}

export type ClientOp = 'read' | 'write' | 'scope-end';
export type Milestone = 'mu-applied' | 'stream-complete' | 'promoted';

export type LogEvent =
  | { readonly type: 'invoke'; readonly op: ClientOp; readonly key?: number; readonly value?: number }
  | { readonly type: 'ok'; readonly op: ClientOp; readonly key?: number; readonly value?: number }
  | { readonly type: 'send'; readonly msg: LogMsg }
  | { readonly type: 'recv'; readonly msg: LogMsg }
  | { readonly type: 'persist'; readonly key?: number; readonly ts?: LogTs; readonly value?: number }
  | { readonly type: 'persisted'; readonly key?: number; readonly ts?: LogTs; readonly value?: number }
  | { readonly type: 'crash' }
  | { readonly type: 'restart'; readonly incarnation?: number }
  | { readonly type: 'view'; readonly epoch?: number; readonly replicas?: readonly number[]; readonly shadows?: readonly number[] }
  | { readonly type: 'recovery'; readonly milestone: Milestone; readonly key?: number; readonly ts?: LogTs };

export type EventType = LogEvent['type'];
export const EVENT_TYPES: readonly EventType[] = ['invoke', 'ok', 'send', 'recv', 'persist', 'persisted', 'crash', 'restart', 'view', 'recovery'];

export interface NodeEvent {
  readonly node: number;
  readonly event: LogEvent;
}

export function logTs(ts: number): LogTs {
  return [versionOf(ts), writerOf(ts), incarnationOf(ts)];
}

function nodesOf(mask: number): number[] {
  const out: number[] = [];
  for (let n = 0; mask >> n !== 0; n++) if ((mask & (1 << n)) !== 0) out.push(n);
  return out;
}

/** The log's view of a message; `side` drops the field the logging node is itself. */
export function logMsg(m: Msg, side: 'send' | 'recv'): LogMsg {
  const type = MSG_NAMES[m.type];
  const peer = side === 'send' ? { to: m.to } : { from: m.from };
  switch (m.type) {
    case 0:
      return { type, ...peer, key: m.key, ts: logTs(m.ts), value: m.value, epoch: m.epoch };
    case 1:
      return { type, ...peer, key: m.key, ts: logTs(m.ts), epoch: m.epoch };
    case 4:
      return { type, ...peer, key: m.key, ts: logTs(m.ts), nodes: nodesOf(m.durableAt) };
    case 8:
      return { type, ...peer, epoch: m.epoch };
    case 9:
      return { type, ...peer, key: m.key, ts: logTs(m.ts), value: m.value, valid: m.valid, count: m.count };
    case 10:
      return { type, ...peer, count: m.count };
    default:
      return { type, ...peer, key: m.key, ts: logTs(m.ts) };
  }
}

/**
 * The event that starts a step, at the node it happens to, computed without taking the
 * step: a conformance search uses it to skip actions the log rules out.
 */
export function triggerOf(config: ClusterConfig, s: ClusterState, a: ClusterAction): NodeEvent {
  switch (a.kind) {
    case 'write':
      return { node: a.node, event: { type: 'invoke', op: 'write', key: a.key, value: nextValue(config, s) } };
    case 'read':
      return { node: a.node, event: { type: 'invoke', op: 'read', key: a.key } };
    case 'scope-end':
      return { node: a.node, event: { type: 'invoke', op: 'scope-end' } };
    case 'deliver':
      return { node: a.msg.to, event: { type: 'recv', msg: logMsg(a.msg, 'recv') } };
    case 'persist': {
      const p = s.nodes[a.node]!.pending.find((q) => q.key === a.key && q.ts === a.ts);
      return { node: a.node, event: { type: 'persisted', key: a.key, ts: logTs(a.ts), ...(p ? { value: p.value } : {}) } };
    }
    case 'crash':
      return { node: a.node, event: { type: 'crash' } };
    case 'restart':
      return { node: a.node, event: { type: 'restart', incarnation: s.nodes[a.node]!.incarnation + 1 } };
    case 'promote':
      return { node: a.node, event: viewEvent(s.epoch + 1, s, a.node) };
  }
}

/** The view after a membership step; the step's own node is the only one whose role changes. */
function viewEvent(epoch: number, s: ClusterState, changed: number, role?: number): LogEvent {
  const replicas: number[] = [];
  const shadows: number[] = [];
  for (let n = 0; n < s.nodes.length; n++) {
    const r = n === changed ? (role ?? 2) : s.nodes[n]!.role;
    if (r === 2) replicas.push(n);
    else if (r === 1) shadows.push(n);
  }
  return { type: 'view', epoch, replicas, shadows };
}

function installedView(s2: ClusterState): LogEvent {
  return viewEvent(s2.epoch, s2, -1);
}

/** Messages of b not in a (multisets sorted by compareMsg), `removed` taken out of a first. */
function added(a: readonly Msg[], b: readonly Msg[], removed: Msg | null): Msg[] {
  let base = a;
  if (removed !== null) {
    const i = a.findIndex((m) => compareMsg(m, removed) === 0);
    if (i >= 0) base = [...a.slice(0, i), ...a.slice(i + 1)];
  }
  const out: Msg[] = [];
  let i = 0;
  for (const m of b) {
    while (i < base.length && compareMsg(base[i]!, m) < 0) i++;
    if (i < base.length && compareMsg(base[i]!, m) === 0) i++;
    else out.push(m);
  }
  return out;
}

function persistsIssued(before: NodeState, after: NodeState): LogEvent[] {
  const out: LogEvent[] = [];
  for (const p of after.pending) {
    if (before.pending.some((q) => q.key === p.key && q.ts === p.ts)) continue;
    out.push({ type: 'persist', key: p.key, ts: logTs(p.ts), value: p.value });
  }
  return out;
}

/**
 * Every event of one step, grouped by node in node order; within a node: the trigger,
 * the view it installs, recovery milestones, persists issued, messages sent (in network
 * order), then the client's completion.
 */
export function stepEvents(config: ClusterConfig, s: ClusterState, a: ClusterAction, s2: ClusterState): NodeEvent[] {
  const per: LogEvent[][] = s.nodes.map(() => []);
  const trigger = triggerOf(config, s, a);
  per[trigger.node]!.push(trigger.event);
  if (a.kind === 'read') {
    per[a.node]!.push({ type: 'ok', op: 'read', key: a.key, value: s.nodes[a.node]!.keys[a.key]!.value });
  }
  const membership = a.kind === 'crash' || a.kind === 'restart' || a.kind === 'promote';
  const delivered = a.kind === 'deliver' && !config.duplicates ? a.msg : null;
  const sends = added(s.net, s2.net, delivered);
  for (let n = 0; n < s.nodes.length; n++) {
    const before = s.nodes[n]!;
    const after = s2.nodes[n]!;
    const out = per[n]!;
    if (after.role === DOWN) continue;
    if (membership && !(a.kind === 'promote' && a.node === n)) out.push(installedView(s2));
    if (before === after) continue;
    if (a.kind === 'deliver' && a.msg.to === n && a.msg.type === MU && after.rec !== null) {
      const k = a.msg.key;
      if (after.keys[k]!.ts !== before.keys[k]!.ts || after.keys[k]!.value !== before.keys[k]!.value) {
        out.push({ type: 'recovery', milestone: 'mu-applied', key: k, ts: logTs(after.keys[k]!.ts) });
      }
    }
    if (after.rec !== null && streamComplete(after) && !(before.rec !== null && before.role === after.role && streamComplete(before))) {
      out.push({ type: 'recovery', milestone: 'stream-complete' });
    }
    if (a.kind === 'promote' && a.node === n) out.push({ type: 'recovery', milestone: 'promoted' });
    out.push(...persistsIssued(before.role === DOWN ? { ...before, pending: [] } : before, after));
  }
  for (const m of sends) per[m.from]!.push({ type: 'send', msg: logMsg(m, 'send') });
  for (let n = 0; n < s.nodes.length; n++) {
    const before = s.nodes[n]!;
    const after = s2.nodes[n]!;
    if (after.role === DOWN || after.incarnation !== before.incarnation) continue;
    const starts = (a.kind === 'write' || a.kind === 'scope-end') && a.node === n;
    const op = starts ? pendingOf(config, s, a) : before.client;
    if (op !== null && after.client === null) {
      per[n]!.push(
        op.kind === CLIENT_WRITE ? { type: 'ok', op: 'write', key: op.key, value: op.value } : { type: 'ok', op: 'scope-end' },
      );
    }
  }
  const out: NodeEvent[] = [];
  for (let n = 0; n < per.length; n++) for (const event of per[n]!) out.push({ node: n, event });
  return out;
}

/** The client operation a write or scope end started, when it finished within its own step. */
function pendingOf(config: ClusterConfig, s: ClusterState, a: ClusterAction): { kind: 0 | 1; key: number; value: number } {
  if (a.kind === 'write') return { kind: 0, key: a.key, value: nextValue(config, s) };
  return { kind: 1, key: 0, value: 0 };
}
