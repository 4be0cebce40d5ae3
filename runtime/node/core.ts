/**
 * The one file of the runtime that calls into the protocol core (src/). Everything a
 * node process does to its NodeState goes through a method here, which runs the
 * model's own step function and hands back what the step produced: messages to send,
 * client replies, and the step's events in the event-log format. Like etcd raft's
 * Step/Ready: the shell feeds inputs in and turns outputs into I/O; it decides nothing
 * of the protocol (test/runtime/boundary.test.ts keeps other runtime files out of src/).
 */
import { bit, buddyOf } from '../../src/protocol/node.ts';
import {
  chooseNewBuddy, lostBuddy, memberSawCrash, memberSawPromotion, memberSawRestart, promoteSelf, rejoin, startStream,
  tracksPartiallyPersisted, voidedByCrash,
} from '../../src/protocol/membership.ts';
import { canPromote, crashedNode, emptyNode, streamComplete } from '../../src/protocol/recovery.ts';
import { deliver, isStale } from '../../src/protocol/replica.ts';
import { clientWrite, persistAndReact, serveRead } from '../../src/protocol/write-path.ts';
import { PERSISTENCY } from '../../src/protocol/persistency/index.ts';
import { mayPersist } from '../../src/protocol/persistency/model.ts';
import { RECOVERY } from '../../src/protocol/recovery/index.ts';
import { MSG_NAMES, VALID, type Ctx, type Durable, type Msg, type NodeState, type Persist, type Persistency, type Recovery, type Reply } from '../../src/protocol/types.ts';
import { logMsg, logTs, type LogEvent } from '../../src/cluster/event-log.ts';
import type { View } from '../wire/messages.ts';
import { issued } from './issued.ts';

export type { Durable, Msg, Persist, Persistency, Recovery, Reply, LogEvent };
export { MSG_NAMES, buddyOf };
// The peer frame carries a message as message-words.ts packs it (spec/runtime-protocol.md).
export { msgOfWords, msgWords } from '../../src/protocol/message-words.ts';
export type { MsgType } from '../../src/protocol/types.ts';

export interface CoreConfig {
  readonly self: number;
  readonly nodes: number;
  readonly keys: number;
  readonly persistency: Persistency;
  readonly recovery: Recovery;
}

/** What one step produced: the Ready of etcd raft. */
export interface Ready {
  readonly sends: Msg[];
  readonly replies: Reply[];
  readonly events: LogEvent[];
  /** Set by a step after which this shadow satisfies the promotion guard. */
  readonly promotable: boolean;
  /** The Buddy a reselecting shadow must ask for its stream (spec/runtime-protocol.md). */
  readonly streamFrom: number;
}

function maskOf(list: readonly number[]): number {
  let m = 0;
  for (const n of list) m |= bit(n);
  return m;
}

export function membersMask(v: View): number {
  return maskOf(v.members);
}

export function replicasMask(v: View): number {
  let m = 0;
  for (const [n, r] of Object.entries(v.roles)) if (r === 'replica') m |= bit(Number(n));
  return m;
}

function nodeList(mask: number, nodes: number): number[] {
  const out: number[] = [];
  for (let n = 0; n < nodes; n++) if ((mask & bit(n)) !== 0) out.push(n);
  return out;
}

export class Core {
  state: NodeState;
  /** The installed view; null before the first one (a restarted node awaiting its restart view). */
  view: View | null = null;
  /** Per node, the epoch of the latest crash view about it (F-PACK-VOID). */
  private readonly crashedAt: number[];

  constructor(readonly config: CoreConfig, durable: readonly Durable[] | null, incarnation: number) {
    const base = emptyNode({ nodes: config.nodes, keyCount: config.keys }, incarnation);
    if (durable === null) {
      this.state = base;
    } else {
      // What a crash leaves: the durable store and the apply counter (Strict's FIFO order
      // only needs it to exceed every persisted seq).
      let seq = 0;
      for (const d of durable) seq = Math.max(seq, d.seq);
      this.state = crashedNode({ ...base, durable, applySeq: seq }, { nodes: config.nodes, keyCount: config.keys });
    }
    this.crashedAt = new Array<number>(config.nodes).fill(-1);
  }

  /**
   * The one place a Ctx is built from a view. A running system always tracks
   * Partially_persisted lists: it has no crash budget (tracksPartiallyPersisted).
   */
  private ctx(out: { sends: Msg[]; replies: Reply[] }): Ctx {
    const v = this.view!;
    return {
      self: this.config.self,
      nodes: this.config.nodes,
      keyCount: this.config.keys,
      epoch: v.epoch,
      members: membersMask(v),
      replicas: replicasMask(v),
      persistency: PERSISTENCY[this.config.persistency],
      recovery: RECOVERY[this.config.recovery],
      mutant: null,
      trackPP: tracksPartiallyPersisted(RECOVERY[this.config.recovery], Number.POSITIVE_INFINITY),
      out,
    };
  }

  get epoch(): number {
    return this.view?.epoch ?? -1;
  }

  get role(): 'down' | 'shadow' | 'replica' {
    if (this.view === null) return 'down';
    return this.state.role === 2 ? 'replica' : this.state.role === 1 ? 'shadow' : 'down';
  }

  get incarnation(): number {
    return this.state.incarnation;
  }

  get recovering(): boolean {
    return this.state.rec !== null;
  }

  get idle(): boolean {
    return this.state.client === null;
  }

  get pending(): readonly Persist[] {
    return this.state.pending;
  }

  get durable(): readonly Durable[] {
    return this.state.durable;
  }

  /** The model's guard on a client write (src/cluster/actions.ts): a replica, no op in progress, the key Valid. */
  canStartWrite(key: number): boolean {
    return this.view !== null && this.state.role === 2 && this.state.client === null && this.state.keys[key]!.status === VALID;
  }

  canStartScopeEnd(): boolean {
    return this.view !== null && this.config.persistency === 'scope' && this.state.role === 2 && this.state.client === null;
  }

  /** The value a read returns now, or null when the key cannot be served (serveRead). */
  read(key: number): { value: number; events: LogEvent[] } | null {
    const reply = this.view === null ? null : serveRead(this.state, this.ctx({ sends: [], replies: [] }), key);
    if (reply === null) return null;
    const value = reply.value;
    return { value, events: [{ type: 'invoke', op: 'read', key }, { type: 'ok', op: 'read', key, value }] };
  }

  write(key: number, value: number): Ready {
    return this.step({ type: 'invoke', op: 'write', key, value }, null, (n, c) => clientWrite(n, c, key, value));
  }

  scopeEnd(): Ready {
    return this.step({ type: 'invoke', op: 'scope-end' }, null, (n, c) => c.persistency.scopeEnd!(n, c));
  }

  /**
   * Whether a frame sent in envelope epoch `e` by `from` is one the model would still
   * deliver: not sent to this node's previous incarnation or while it was down (the
   * model drops messages to a crashed node), and not a FullCopy PACK voided by its
   * sender's crash (F-PACK-VOID).
   */
  accepts(m: Msg, e: number): boolean {
    if (e < this.admittedAt) return false;
    return !(this.crashedAt[m.from]! > e && voidedByCrash(RECOVERY[this.config.recovery], null, m, m.from));
  }

  /** The epoch of the view that admitted this incarnation (0 for a node of the initial view). */
  private admittedAt = 0;

  receive(m: Msg): Ready {
    const before = this.state;
    // INV and ACK of another epoch are garbage-collected by the model at the view
    // change, so they are never delivered there: not logged here either.
    if (isStale(m, this.epoch)) return this.empty();
    const r = this.step({ type: 'recv', msg: logMsg(m, 'recv') }, null, (n, c) => deliver(n, c, m));
    if (m.type === 9 && this.state.rec !== null) {
      const k = m.key;
      const a = this.state.keys[k]!;
      const b = before.keys[k]!;
      if (a.ts !== b.ts || a.value !== b.value) r.events.splice(1, 0, { type: 'recovery', milestone: 'mu-applied', key: k, ts: logTs(a.ts) });
    }
    return r;
  }

  /** Whether the pending persist p may complete now (P-STRICT-FIFO). */
  persistable(p: Persist): boolean {
    const i = this.state.pending.indexOf(p);
    return i >= 0 && this.view !== null && mayPersist(this.state, this.ctx({ sends: [], replies: [] }), i);
  }

  /** P-PERSIST-DONE for p, once the store's fsync covering it returned. */
  persisted(p: Persist): Ready {
    const i = this.state.pending.indexOf(p);
    if (i < 0) return this.empty();
    return this.step({ type: 'persisted', key: p.key, ts: logTs(p.ts), value: p.value }, null, (n, c) => persistAndReact(n, c, this.state.pending.indexOf(p)));
  }

  /** The initial view (epoch 0, every node a replica): a fresh node starts from it. */
  installInitial(v: View): void {
    this.view = v;
    this.admittedAt = v.epoch;
  }

  /** Install the next view, applying the membership rule for its cause (src/protocol/membership.ts). */
  installView(v: View, holdersOf: (n: number) => number): Ready {
    const self = this.config.self;
    const f = v.node;
    const viewEvent: LogEvent = {
      type: 'view', epoch: v.epoch,
      replicas: nodeList(replicasMask(v), this.config.nodes),
      shadows: nodeList(membersMask(v) & ~replicasMask(v), this.config.nodes),
    };
    this.view = v;
    if (v.cause === 'crash') {
      this.crashedAt[f] = v.epoch;
      let streamFrom = -1;
      const r = this.step(viewEvent, null, (n, c) => {
        let next = memberSawCrash(n, c, f, v.wasShadow);
        if (lostBuddy(next, f)) {
          next = chooseNewBuddy(next, c, holdersOf(self));
          streamFrom = next.rec!.buddy;
        }
        return next;
      });
      return { ...r, streamFrom };
    }
    if (v.cause === 'restart' && f === self) {
      this.admittedAt = v.epoch;
      const restart: LogEvent = { type: 'restart', incarnation: this.state.incarnation + 1 };
      const r = this.step(restart, viewEvent, (n, c) => rejoin({ ...n, role: 1 }, c, holdersOf(self)));
      return r;
    }
    if (v.cause === 'restart') {
      return this.step(viewEvent, null, (n, c) => {
        const next = memberSawRestart(n, c, f);
        return v.buddy === self ? startStream(next, c, f) : next;
      });
    }
    if (v.cause === 'promote' && f === self) {
      const r = this.step(viewEvent, null, (n, c) => promoteSelf(n, c));
      r.events.splice(1, 0, { type: 'recovery', milestone: 'promoted' });
      return r;
    }
    return this.step(viewEvent, null, (n, c) => memberSawPromotion(n, c, f));
  }

  /** H-MU-STREAM at this node for shadow g, asked for by g after a Buddy reselection. */
  streamTo(g: number): Ready {
    if (this.view === null || !this.view.members.includes(g) || this.view.roles[String(g)] !== 'shadow') return this.empty();
    return this.step(null, null, (n, c) => startStream(n, c, g));
  }

  /** The Buddy this shadow expects its stream from, -1 when none. */
  get buddy(): number {
    return this.state.rec?.buddy ?? -1;
  }

  private empty(): Ready {
    return { sends: [], replies: [], events: [], promotable: false, streamFrom: -1 };
  }

  /**
   * Runs one step function and derives its events the way src/cluster/event-log.ts does
   * for the model: the trigger, the view, milestones, persists issued, messages sent to
   * members (the model drops messages to a down node unlogged), the completion.
   */
  private step(trigger: LogEvent | null, second: LogEvent | null, f: (n: NodeState, c: Ctx) => NodeState): Ready {
    const out = { sends: [] as Msg[], replies: [] as Reply[] };
    const before = this.state;
    const after = f(before, this.ctx(out));
    this.state = after;
    const events: LogEvent[] = [];
    if (trigger !== null) events.push(trigger);
    if (second !== null) events.push(second);
    if (after.rec !== null && streamComplete(after) && !(before.rec !== null && before.role === after.role && streamComplete(before))) {
      events.push({ type: 'recovery', milestone: 'stream-complete' });
    }
    if (after.pending !== before.pending) for (const p of issued(before.pending, after.pending)) events.push({ type: 'persist', key: p.key, ts: logTs(p.ts), value: p.value });
    const members = membersMask(this.view!);
    const sends = out.sends.filter((m) => (members & bit(m.to)) !== 0);
    for (const m of sends) events.push({ type: 'send', msg: logMsg(m, 'send') });
    for (const r of out.replies) {
      events.push(r.f === 'write' ? { type: 'ok', op: 'write', key: r.key, value: r.value } : { type: 'ok', op: 'scope-end' });
    }
    const promotable = after.role === 1 && canPromote(after, { mutant: null });
    return { sends, replies: out.replies, events, promotable, streamFrom: -1 };
  }
}
