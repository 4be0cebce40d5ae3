/**
 * One node process: the I/O shell around a Core. It turns client requests, peer frames,
 * membership views and completed fsyncs into Core steps, and each step's Ready into
 * frames, replies, store writes and event-log lines. The protocol itself is all in the
 * Core (src/ through core.ts); the rules here are about the runtime only: which frames
 * the model would deliver now (views in epoch order, spec/runtime-protocol.md), queueing
 * client operations until the model's guard allows them, and the lease.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Core, msgOfWords, type MsgType, type Persistency, type Ready, type Recovery } from './core.ts';
import { EventLog } from './events.ts';
import { NodeStats } from './stats.ts';
import { Store } from './store.ts';
import { PeerNet, type Addr } from './peers.ts';
import { readFrames, writeFrame } from '../wire/frames.ts';
import { ClientRequest, FromService, type PeerMsgFrame, type Refusal, type View } from '../wire/messages.ts';
import { connectService, type ServiceLink } from './service-link.ts';
import { Slicer } from './slicer.ts';

export interface NodeOptions {
  readonly id: number;
  readonly nodes: number;
  readonly keys: number;
  readonly persistency: Persistency;
  readonly recovery: Recovery;
  readonly valueBytes: number;
  readonly data: string;
  readonly host: string;
  readonly clientPort: number;
  readonly peerPort: number;
  /** Known at start on a restart; on the first start they come later (setPeers). */
  readonly peers: readonly Addr[] | null;
  readonly membership: Addr;
  readonly events: boolean;
  readonly heartbeatMs: number;
  readonly leaseMs: number;
  readonly partitioned: readonly number[];
}

/** Exit code of a node that learnt it is no longer a member: the supervisor restarts it. */
export const EXIT_FENCED = 75;

/**
 * The longest the node runs peer frames and persist completions without yielding to the
 * event loop. Small next to any lease (the heartbeat goes out every lease / 6), large next
 * to one step (tens of microseconds), so the slices cost little throughput.
 */
const SLICE_MS = 20;

interface Waiting {
  readonly conn: Socket;
  readonly id: number;
}
interface QueuedOp extends Waiting {
  readonly op: 'write' | 'scope-end';
  readonly key: number;
  readonly value: number;
}
type Held = { readonly e: number; readonly run: () => void };

export class NodeProcess {
  readonly core: Core;
  readonly stats = new NodeStats();
  private readonly store: Store;
  private readonly log: EventLog;
  private readonly net: PeerNet;
  private service: ServiceLink | null = null;
  private clientServer: Server | null = null;
  private peerServer: Server | null = null;
  private readonly queue: QueuedOp[] = [];
  private current: QueuedOp | null = null;
  private readonly parked = new Map<number, Waiting[]>();
  /** Frames of a newer epoch than installed, and everything while waiting for a promotion view. */
  private held: Held[] = [];
  /** Views received ahead of their turn, by epoch. */
  private readonly views = new Map<number, View>();
  /** Reported promotable in this epoch: no step until the next view (spec/runtime-protocol.md). */
  private frozenAt = -1;
  private leaseUntil = 0;
  private stopping = false;
  private pumping = false;
  /** One group commit in flight; the persists its steps issue go in the next. */
  private persisting = false;

  constructor(readonly opts: NodeOptions, private readonly onFenced: () => void) {
    const { store, opened } = Store.open(opts.data, opts.valueBytes);
    this.store = store;
    this.stats.tornBytesAtOpen = opened.tornBytes;
    const durable = opened.existed
      ? Array.from({ length: opts.keys }, (_, k) => {
          const u = opened.updates.get(k);
          return u ? { ts: u.ts, value: u.value, seq: u.seq } : { ts: 0, value: 0, seq: 0 };
        })
      : null;
    this.core = new Core(
      { self: opts.id, nodes: opts.nodes, keys: opts.keys, persistency: opts.persistency, recovery: opts.recovery },
      durable,
      opened.incarnation,
    );
    if (!opened.existed) store.setIncarnation(0);
    this.log = new EventLog(opts.events ? join(opts.data, 'events.jsonl') : null, opts.id);
    // The crash is logged by the restarted process: the killed one could not.
    if (opened.existed) this.log.write([{ type: 'crash' }]);
    this.restarted = opened.existed;
    this.net = new PeerNet(opts.id, opts.nodes, opts.keys, opts.valueBytes, this.stats, {
      incarnation: () => this.core.incarnation,
      epoch: () => this.core.epoch,
      onMsg: (f) => this.slicer.run(() => this.onPeerMsg(f)),
      onStream: (e, from) => this.slicer.run(() => this.whenEpoch(e, () => this.dispatch(this.core.streamTo(from)))),
    });
    this.slicer = new Slicer(SLICE_MS, { pause: () => this.net.pauseInbound(), resume: () => this.net.resumeInbound() });
    for (const n of opts.partitioned) this.partition(n, true);
  }

  private readonly restarted: boolean;
  /** Peer frames and persist completions, run in slices so that the heartbeats go out (R4). */
  private readonly slicer: Slicer;

  async listen(): Promise<{ clientPort: number; peerPort: number }> {
    this.peerServer = createServer((s) => this.net.accept(s));
    this.clientServer = createServer((s) => this.acceptClient(s));
    const listen = (srv: Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, this.opts.host, () => resolve((srv.address() as { port: number }).port));
      });
    const peerPort = await listen(this.peerServer, this.opts.peerPort);
    const clientPort = await listen(this.clientServer, this.opts.clientPort);
    if (this.opts.peers !== null) this.setPeers(this.opts.peers);
    return { clientPort, peerPort };
  }

  setPeers(peers: readonly Addr[]): void {
    this.net.connect(peers);
    if (this.service === null) {
      this.service = connectService(this.opts.membership, this.opts.id, this.opts.heartbeatMs, {
        epoch: () => this.core.epoch,
        onMessage: (m) => this.onService(m),
        onTick: () => {
          if (this.mutedService) return;
          if (this.frozenAt >= 0) this.service?.send({ kind: 'ready', node: this.opts.id, epoch: this.frozenAt });
        },
      });
      this.service.mute(this.mutedService);
    }
  }

  /**
   * A partitioned node is cut from its peers and from the membership service too: a
   * member that could not be reached would block every write (the model's network loses
   * nothing, so nothing would ever retry them). Its lease runs out, the service removes
   * it, and once the partition heals its next heartbeat is answered `fenced`: it restarts
   * and recovers as a new incarnation.
   */
  partition(node: number, drop: boolean): void {
    this.net.partition(node, drop);
    if (node === this.opts.id) {
      this.mutedService = drop;
      this.service?.mute(drop);
    }
  }

  private mutedService = false;

  // ---- membership ----

  private onService(m: FromService): void {
    if (m.kind === 'hb-ack') {
      this.leaseUntil = m.t + this.opts.leaseMs * 0.75;
      return;
    }
    if (m.kind === 'fenced') {
      this.fence();
      return;
    }
    const v = m.view;
    if (v.epoch <= this.core.epoch) return;
    this.views.set(v.epoch, v);
    this.installViews();
  }

  private installViews(): void {
    for (;;) {
      const self = this.opts.id;
      let v: View | undefined;
      if (this.core.view === null) {
        // A fresh node starts from the initial view; a restarted one waits for the view
        // that admits it, and everything before it is about its previous incarnation.
        if (!this.restarted) v = this.views.get(0);
        else {
          // The latest one: a service this node reconnects to may resend older views, among
          // them the restart views of its earlier incarnations.
          for (const x of this.views.values()) if (x.cause === 'restart' && x.node === self && (v === undefined || x.epoch > v.epoch)) v = x;
        }
        if (v === undefined) return;
        for (const e of [...this.views.keys()]) if (e < v.epoch) this.views.delete(e);
        if (!this.restarted) {
          this.views.delete(0);
          this.core.installInitial(v);
          continue;
        }
      } else {
        v = this.views.get(this.core.epoch + 1);
        if (v === undefined) return;
      }
      this.views.delete(v.epoch);
      if (!v.members.includes(self)) {
        this.fence();
        return;
      }
      this.frozenAt = -1;
      this.applyView(v);
    }
  }

  private applyView(v: View): void {
    const self = this.opts.id;
    const holders = (n: number) => v.holders[String(n)] ?? 0;
    if (v.cause === 'restart' && v.node === self) {
      // The new incarnation is on disk before the node says anything as it (finding F8);
      // FullCopy's restart drops the store, on disk too (F-RESTART).
      this.store.setIncarnation(this.core.incarnation + 1);
      if (this.opts.recovery === 'fullcopy') this.store.clear();
      this.stats.restartedAt = Date.now();
    }
    if (v.cause === 'promote' && v.node === self) this.stats.promotedAt = Date.now();
    if (v.cause === 'crash') this.net.forget(v.node);
    const ready = this.core.installView(v, holders);
    this.dispatch(ready);
    if (ready.streamFrom >= 0) this.net.sendStream(ready.streamFrom);
    this.drainHeld();
    this.refuseIfNotReplica();
  }

  private fence(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.onFenced();
  }

  // ---- peers ----

  /** Runs `run` once the installed view is at least epoch e (and not frozen for promotion). */
  private whenEpoch(e: number, run: () => void): void {
    if (this.core.view === null || e > this.core.epoch || this.frozenAt >= 0 || this.held.length > 0) {
      this.stats.heldForView++;
      this.held.push({ e, run });
      return;
    }
    run();
  }

  private drainHeld(): void {
    const rest: Held[] = [];
    const list = this.held;
    this.held = [];
    for (const h of list) {
      if (this.core.view !== null && h.e <= this.core.epoch && this.frozenAt < 0 && rest.length === 0) h.run();
      else rest.push(h);
    }
    this.held = rest.concat(this.held);
  }

  private onPeerMsg(f: PeerMsgFrame): void {
    const [type, from, to, key, ts, valueW, epochW, validW] = f.m;
    const m = msgOfWords(type as MsgType, from, to, key, ts, valueW, epochW, validW);
    if (to !== this.opts.id) return;
    this.whenEpoch(f.e, () => {
      if (!this.core.accepts(m, f.e)) {
        this.stats.droppedStale++;
        return;
      }
      if (m.type === 9) this.stats.muEntriesReceived++;
      this.dispatch(this.core.receive(m));
    });
  }

  // ---- the Ready of a step ----

  private dispatch(r: Ready): void {
    this.log.write(r.events);
    for (const m of r.sends) {
      if (m.type === 9) this.stats.muEntriesSent++;
      this.net.send(m);
    }
    for (const rep of r.replies) {
      const c = this.current;
      this.current = null;
      if (c === null) continue;
      if (rep.f === 'write') this.stats.writesOk++;
      else this.stats.scopeEndsOk++;
      this.reply(c.conn, { id: c.id, ok: true });
    }
    if (r.promotable && this.frozenAt < 0 && this.core.view !== null) {
      this.frozenAt = this.core.epoch;
      this.service?.send({ kind: 'ready', node: this.opts.id, epoch: this.frozenAt });
    }
    this.pumpPersist();
    this.pumpClients();
    this.serveParked();
  }

  // ---- persists ----

  private pumpPersist(): void {
    if (this.persisting || this.core.view === null) return;
    const batch = this.core.pending.slice();
    if (batch.length === 0) return;
    this.persisting = true;
    this.stats.persistBatches++;
    this.store.commit(batch, (err) => {
      if (err !== null) {
        process.stderr.write(`node ${this.opts.id}: fsync failed: ${err.message}\n`);
        process.exit(1);
      }
      for (const p of batch) {
        this.slicer.run(() => {
          if (!this.core.persistable(p)) return;
          this.stats.persisted++;
          this.dispatch(this.core.persisted(p));
        });
      }
      this.slicer.run(() => {
        this.persisting = false;
        this.pumpPersist();
      });
    });
  }

  // ---- clients ----

  private acceptClient(conn: Socket): void {
    conn.setNoDelay(true);
    conn.on('error', () => {});
    conn.on('close', () => {
      // Queued operations of a closed connection never started: they had no effect.
      for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.conn === conn) this.queue.splice(i, 1);
    });
    readFrames(conn, (obj) => {
      const r = ClientRequest.safeParse(obj);
      if (!r.success) return false;
      this.onClient(conn, r.data);
      return true;
    });
  }

  private reply(conn: Socket, obj: object): void {
    if (!conn.destroyed) writeFrame(conn, obj);
  }

  private refuse(conn: Socket, id: number, error: Refusal): void {
    this.stats.refused++;
    this.reply(conn, { id, ok: false, error, definite: true });
  }

  private onClient(conn: Socket, req: ClientRequest): void {
    if (req.op === 'status') {
      this.reply(conn, { id: req.id, ok: true, ...this.status() });
      return;
    }
    if ((req.op === 'write' || req.op === 'read') && req.key >= this.opts.keys) {
      this.refuse(conn, req.id, 'bad-request');
      return;
    }
    // 0 is every key's initial value (a read of a never-written key returns it), so no write may use it.
    if ((req.op === 'write' && req.value === 0) || (req.op === 'scope-end' && this.opts.persistency !== 'scope')) {
      this.refuse(conn, req.id, 'bad-request');
      return;
    }
    if (this.core.role !== 'replica') {
      this.refuse(conn, req.id, 'unavailable');
      return;
    }
    if (req.op === 'read') {
      // A node whose lease ran out may have been removed from the view without knowing:
      // it must not answer from its copy (the service waits a full lease before that).
      if (performance.now() > this.leaseUntil) {
        this.refuse(conn, req.id, 'unavailable');
        return;
      }
      const list = this.parked.get(req.key);
      if (list === undefined && this.serveRead(conn, req.id, req.key)) return;
      if (list === undefined) this.parked.set(req.key, [{ conn, id: req.id }]);
      else list.push({ conn, id: req.id });
      return;
    }
    if (this.queue.length >= 100_000) {
      this.refuse(conn, req.id, 'busy');
      return;
    }
    this.queue.push({ conn, id: req.id, op: req.op, key: req.op === 'write' ? req.key : 0, value: req.op === 'write' ? req.value : 0 });
    this.pumpClients();
  }

  private serveRead(conn: Socket, id: number, key: number): boolean {
    const r = this.core.read(key);
    if (r === null) return false;
    this.log.write(r.events);
    this.stats.readsOk++;
    this.reply(conn, { id, ok: true, value: r.value });
    return true;
  }

  private serveParked(): void {
    if (this.parked.size === 0) return;
    for (const [key, list] of this.parked) {
      while (list.length > 0) {
        const w = list[0]!;
        if (w.conn.destroyed) {
          list.shift();
          continue;
        }
        if (!this.serveRead(w.conn, w.id, key)) break;
        list.shift();
      }
      if (list.length === 0) this.parked.delete(key);
    }
  }

  /** Starts queued operations in order while the model's guard allows (src/cluster/actions.ts). */
  private pumpClients(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.current === null && this.queue.length > 0) {
        const op = this.queue[0]!;
        if (op.conn.destroyed) {
          this.queue.shift();
          continue;
        }
        if (this.frozenAt >= 0) break;
        if (op.op === 'write' ? !this.core.canStartWrite(op.key) : !this.core.canStartScopeEnd()) break;
        this.queue.shift();
        this.current = op;
        this.dispatch(op.op === 'write' ? this.core.write(op.key, op.value) : this.core.scopeEnd());
      }
    } finally {
      this.pumping = false;
    }
  }

  private refuseIfNotReplica(): void {
    if (this.core.role === 'replica') return;
    for (const op of this.queue.splice(0)) this.refuse(op.conn, op.id, 'unavailable');
    for (const list of this.parked.values()) for (const w of list) this.refuse(w.conn, w.id, 'unavailable');
    this.parked.clear();
  }

  status(): Record<string, unknown> {
    return {
      node: this.opts.id,
      role: this.core.role,
      epoch: this.core.epoch,
      incarnation: this.core.incarnation,
      recovering: this.core.recovering,
      stats: {
        ...this.stats,
        keys: this.opts.keys,
        storeBytes: this.store.bytes,
        storeCompactions: this.store.compacted,
        loopDelayMaxMs: this.stats.loopDelayMaxMs(),
        slicesDeferred: this.slicer.yields,
        queued: this.queue.length,
        parkedReads: [...this.parked.values()].reduce((a, l) => a + l.length, 0),
        buddy: this.core.buddy,
      },
    };
  }

  close(): void {
    this.stopping = true;
    this.service?.close();
    this.net.close();
    this.clientServer?.close();
    this.peerServer?.close();
    this.log.close();
    this.store.close();
  }
}
