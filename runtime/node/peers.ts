/**
 * The peer network of one node: an outgoing TCP connection to every other node (this
 * node's messages to it, in order) and the incoming ones (its messages to us). The core
 * only sends to members of its view, and the model loses no message to a member: while
 * the connection to one is down (it restarted and is not listening yet, or we have not
 * reconnected), its frames wait in a queue, dropped when a crash view removes it
 * (`forget`), as the model drops messages to a crashed node. Frames queued for an
 * earlier incarnation are dropped by the receiver (envelope epoch older than its
 * admission). Partitions drop frames to and from a node in the shell.
 */
import { connect, type Socket } from 'node:net';
import { encodeFrame, readFrames, writeFrame } from '../wire/frames.ts';
import { parsePeerFrame, type PeerMsgFrame } from '../wire/messages.ts';
import { MSG_NAMES, msgWords, type Msg } from './core.ts';
import type { NodeStats } from './stats.ts';
import { Slicer } from './slicer.ts';

export interface Addr {
  readonly host: string;
  readonly port: number;
}

interface Hooks {
  incarnation(): number;
  epoch(): number;
  onMsg(f: PeerMsgFrame): void;
  onStream(e: number, from: number): void;
}

const RECONNECT_MS = 50;
/** Longest run of frame encoding and writing without yielding (node.ts SLICE_MS for why). */
const OUT_SLICE_MS = 20;

export class PeerNet {
  private readonly out: (Socket | null)[];
  private readonly connected: boolean[];
  private readonly dropped = new Set<number>();
  private readonly inbound = new Set<Socket>();
  private peers: readonly Addr[] = [];
  private closed = false;
  private readonly pad: string;
  /** Per node, frames waiting for the connection (see the header). */
  private readonly waiting: Buffer[][];

  constructor(
    private readonly self: number,
    private readonly nodes: number,
    private readonly keys: number,
    valueBytes: number,
    private readonly stats: NodeStats,
    private readonly hooks: Hooks,
  ) {
    this.out = new Array<Socket | null>(nodes).fill(null);
    this.connected = new Array<boolean>(nodes).fill(false);
    this.waiting = Array.from({ length: nodes }, () => []);
    // A value is a number (8 bytes); the rest of valueBytes travels as filler.
    this.pad = 'x'.repeat(Math.max(0, valueBytes - 8));
  }

  partition(node: number, drop: boolean): void {
    if (drop) this.dropped.add(node);
    else this.dropped.delete(node);
  }

  private cut(peer: number): boolean {
    return this.dropped.has(peer) || this.dropped.has(this.self);
  }

  connect(peers: readonly Addr[]): void {
    this.peers = peers;
    for (let n = 0; n < this.nodes; n++) if (n !== this.self && this.out[n] === null) this.dial(n);
  }

  private dial(n: number): void {
    if (this.closed) return;
    const a = this.peers[n]!;
    const s = connect({ host: a.host, port: a.port });
    s.setNoDelay(true);
    this.out[n] = s;
    s.on('connect', () => {
      this.connected[n] = true;
      const bytes = writeFrame(s, { k: 'hello', from: this.self, inc: this.hooks.incarnation() });
      this.stats.count('sent', 'HELLO', bytes);
      for (const f of this.waiting[n]!.splice(0)) s.write(f);
    });
    s.on('error', () => {});
    s.on('close', () => {
      this.connected[n] = false;
      this.out[n] = null;
      if (!this.closed) setTimeout(() => this.dial(n), RECONNECT_MS).unref();
    });
    // Peers never answer on this connection.
    s.on('data', () => {});
  }

  /** A crash view removed `node`: what waits for it would have gone to the crashed incarnation. */
  forget(node: number): void {
    this.waiting[node]!.length = 0;
  }

  private deliver(to: number, frame: object): number {
    const buf = encodeFrame(frame);
    const s = this.out[to];
    if (s === null || s === undefined || !this.connected[to] || s.destroyed) this.waiting[to]!.push(buf);
    else {
      // The frames of one turn leave in one write (a promotion's replays are thousands of
      // INVs; a write each took tens of microseconds: finding R4).
      if (s.writableCorked === 0) {
        s.cork();
        process.nextTick(() => s.uncork());
      }
      s.write(buf);
    }
    return buf.length;
  }

  /** Stop and restart reading peer frames: the node's backlog of steps is long (R4). */
  pauseInbound(): void {
    this.inboundPaused = true;
    for (const s of this.inbound) s.pause();
  }

  resumeInbound(): void {
    this.inboundPaused = false;
    for (const s of this.inbound) s.resume();
  }

  private inboundPaused = false;

  send(m: Msg): void {
    if (this.cut(m.to)) {
      this.stats.droppedByPartition++;
      return;
    }
    const frame: Record<string, unknown> = {
      k: 'msg', e: this.hooks.epoch(), inc: this.hooks.incarnation(),
      m: msgWords(m),
    };
    // INV and MU carry a written value: it travels at its full size.
    if (m.type === 0 || m.type === 9) frame.pad = this.pad;
    // Encoded and written in slices, in order: one step can send tens of thousands of
    // messages (a promotion's replays, a FullCopy stream), which took the event loop for
    // seconds at 30,000 keys (finding R4).
    this.outbound.run(() => this.stats.count('sent', MSG_NAMES[m.type]!, this.deliver(m.to, frame)));
  }

  private readonly outbound = new Slicer(OUT_SLICE_MS);

  sendStream(to: number): void {
    if (this.cut(to)) return;
    const frame = { k: 'stream', e: this.hooks.epoch(), from: this.self };
    this.outbound.run(() => this.stats.count('sent', 'STREAM', this.deliver(to, frame)));
  }

  accept(s: Socket): void {
    this.inbound.add(s);
    if (this.inboundPaused) s.pause();
    s.on('close', () => this.inbound.delete(s));
    s.on('error', () => {});
    let from = -1;
    readFrames(s, (obj, bytes) => {
      const f = parsePeerFrame(obj, this.nodes, this.keys);
      if (f === null) return false;
      if (f.k === 'hello') {
        if (from >= 0) return false;
        from = f.from;
        this.stats.count('received', 'HELLO', bytes);
        return true;
      }
      if (from < 0) return false;
      if (this.cut(from)) {
        this.stats.droppedByPartition++;
        return true;
      }
      if (f.k === 'stream') {
        if (f.from !== from) return false;
        this.stats.count('received', 'STREAM', bytes);
        this.hooks.onStream(f.e, from);
        return true;
      }
      if (f.m[1] !== from) return false;
      this.stats.count('received', MSG_NAMES[f.m[0]]!, bytes);
      this.hooks.onMsg(f);
      return true;
    });
  }

  close(): void {
    this.closed = true;
    for (const s of this.out) s?.destroy();
    for (const s of this.inbound) s.destroy();
  }
}
