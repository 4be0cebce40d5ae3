/**
 * Canonical, compact binary encoding of a cluster state (spec/cluster-model.md
 * "Canonical encoding"): unsigned varints, messages in flight in sorted order (the
 * state keeps them sorted), owed answers sorted. decode(encode(s)) encodes the same.
 */
import type { ClientOp, KeyState, MUBuffer, MUEntry, Msg, MsgType, NodeState, Owed, PPEntry, Recovering, Role, KeyStatus } from '../protocol/types.ts';
import { compareMsg, type ClusterConfig, type ClusterState, type GhostDurable, type HistEntry } from './state.ts';

class ByteWriter {
  buf = new Uint8Array(1024);
  pos = 0;
  reset(): void {
    this.pos = 0;
  }
  u(v: number): void {
    if (this.pos + 5 > this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }
}

class ByteReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  u(): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('decode: truncated state encoding');
      const b = this.buf[this.pos++]!;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) return v >>> 0;
      shift += 7;
    }
  }
  done(): boolean {
    return this.pos === this.buf.length;
  }
}

const writer = new ByteWriter();

function compareOwed(a: Owed, b: Owed): number {
  return a.kind - b.kind || a.key - b.key || a.ts - b.ts || a.to - b.to || a.epoch - b.epoch;
}

function writeNode(w: ByteWriter, n: NodeState): void {
  w.u(n.role);
  w.u(n.incarnation);
  w.u(n.applySeq);
  for (const k of n.keys) {
    w.u(k.value); w.u(k.ts); w.u(k.status); w.u(k.lastWriter); w.u(k.wts); w.u(k.wval);
    w.u(k.acks); w.u(k.wepoch); w.u(k.packs); w.u((k.dmark ? 1 : 0) | (k.committed ? 2 : 0));
  }
  for (const d of n.durable) {
    w.u(d.ts); w.u(d.value); w.u(d.seq);
  }
  w.u(n.pending.length);
  for (const p of n.pending) {
    w.u(p.key); w.u(p.ts); w.u(p.value); w.u(p.seq);
  }
  const owed = n.owed.length > 1 ? n.owed.slice().sort(compareOwed) : n.owed;
  w.u(owed.length);
  for (const o of owed) {
    w.u(o.kind); w.u(o.key); w.u(o.ts); w.u(o.to); w.u(o.epoch);
  }
  for (const e of n.pp) {
    if (e === null) w.u(0);
    else {
      w.u(1); w.u(e.ts); w.u(e.value); w.u(e.conf);
    }
  }
  for (const b of n.mu) {
    if (b === null) {
      w.u(0);
      continue;
    }
    w.u(b.frozen ? 2 : 1);
    for (const e of b.entries) {
      if (e === null) w.u(0);
      else {
        w.u(e.valid ? 2 : 1); w.u(e.ts); w.u(e.value);
      }
    }
  }
  const r = n.rec;
  if (r === null) w.u(0);
  else {
    w.u(1); w.u(r.buddy + 1); w.u(r.startWait); w.u(r.muKeys); w.u(r.muEnd + 1); w.u(r.touched);
  }
  const c = n.client;
  if (c === null) w.u(0);
  else {
    w.u(c.kind + 1); w.u(c.key); w.u(c.ts); w.u(c.value);
    w.u(c.waiting.length);
    for (const x of c.waiting) w.u(x);
  }
  for (const t of n.scopeTs) w.u(t);
  for (const g of n.ghostStreamed) w.u(g);
}

/** The returned view is overwritten by the next call (Model.encode contract). */
export function encode(s: ClusterState): Uint8Array {
  const w = writer;
  w.reset();
  w.u(s.epoch); w.u(s.writesLeft); w.u(s.readsLeft); w.u(s.scopesLeft); w.u(s.crashesLeft);
  w.u(s.nodes.length);
  for (const n of s.nodes) writeNode(w, n);
  // next() keeps the network sorted; a state built elsewhere (a test, a decoder of
  // another format) may not be, and must still encode canonically.
  let net = s.net;
  for (let i = 1; i < net.length; i++) {
    if (compareMsg(net[i - 1]!, net[i]!) > 0) {
      net = net.slice().sort(compareMsg);
      break;
    }
  }
  w.u(net.length);
  for (const m of net) {
    w.u(m.type); w.u(m.from); w.u(m.to); w.u(m.key); w.u(m.ts); w.u(m.value); w.u(m.epoch); w.u(m.flag);
  }
  w.u(s.history.length);
  for (const h of s.history) {
    w.u(h.p); w.u(h.type); w.u(h.f); w.u(h.key); w.u(h.value + 1);
  }
  w.u(s.ghostDurable.length);
  for (const g of s.ghostDurable) {
    w.u(g.key); w.u(g.ts); w.u(g.members);
  }
  w.u(s.ghostReadNode + 1); w.u(s.ghostReadKey);
  return w.buf.subarray(0, w.pos);
}

function readNode(r: ByteReader, config: ClusterConfig): NodeState {
  const K = config.keys;
  const N = config.nodes;
  const role = r.u() as Role;
  const incarnation = r.u();
  const applySeq = r.u();
  const keys: KeyState[] = [];
  for (let k = 0; k < K; k++) {
    keys.push({
      value: r.u(), ts: r.u(), status: r.u() as KeyStatus, lastWriter: r.u(), wts: r.u(), wval: r.u(),
      acks: r.u(), wepoch: r.u(), packs: r.u(), dmark: false, committed: false,
    } as KeyState);
    const flags = r.u();
    keys[k] = { ...keys[k]!, dmark: (flags & 1) !== 0, committed: (flags & 2) !== 0 };
  }
  const durable = [];
  for (let k = 0; k < K; k++) durable.push({ ts: r.u(), value: r.u(), seq: r.u() });
  const pending = [];
  for (let i = r.u(); i > 0; i--) pending.push({ key: r.u(), ts: r.u(), value: r.u(), seq: r.u() });
  const owed: Owed[] = [];
  for (let i = r.u(); i > 0; i--) owed.push({ kind: r.u() as Owed['kind'], key: r.u(), ts: r.u(), to: r.u(), epoch: r.u() });
  const pp: (PPEntry | null)[] = [];
  for (let k = 0; k < K; k++) pp.push(r.u() === 0 ? null : { ts: r.u(), value: r.u(), conf: r.u() });
  const mu: (MUBuffer | null)[] = [];
  for (let f = 0; f < N; f++) {
    const tag = r.u();
    if (tag === 0) {
      mu.push(null);
      continue;
    }
    const entries: (MUEntry | null)[] = [];
    for (let k = 0; k < K; k++) {
      const e = r.u();
      entries.push(e === 0 ? null : { valid: e === 2, ts: r.u(), value: r.u() });
    }
    mu.push({ frozen: tag === 2, entries });
  }
  let rec: Recovering | null = null;
  if (r.u() === 1) rec = { buddy: r.u() - 1, startWait: r.u(), muKeys: r.u(), muEnd: r.u() - 1, touched: r.u() };
  let client: ClientOp | null = null;
  const ck = r.u();
  if (ck !== 0) {
    const kind = (ck - 1) as ClientOp['kind'];
    const key = r.u();
    const ts = r.u();
    const value = r.u();
    const waiting: number[] = [];
    for (let i = r.u(); i > 0; i--) waiting.push(r.u());
    client = { kind, key, ts, value, waiting };
  }
  const scopeTs: number[] = [];
  for (let k = 0; k < K; k++) scopeTs.push(r.u());
  const ghostStreamed: number[] = [];
  for (let i = 0; i < N * K; i++) ghostStreamed.push(r.u());
  return { role, incarnation, keys, durable, pending, owed, pp, mu, rec, client, scopeTs, applySeq, ghostStreamed };
}

export function decode(config: ClusterConfig, bytes: Uint8Array): ClusterState {
  const r = new ByteReader(bytes);
  const epoch = r.u();
  const writesLeft = r.u();
  const readsLeft = r.u();
  const scopesLeft = r.u();
  const crashesLeft = r.u();
  const count = r.u();
  if (count !== config.nodes) throw new Error(`decode: state has ${count} nodes, config has ${config.nodes}`);
  const nodes: NodeState[] = [];
  for (let n = 0; n < count; n++) nodes.push(readNode(r, config));
  const net: Msg[] = [];
  for (let i = r.u(); i > 0; i--) {
    net.push({ type: r.u() as MsgType, from: r.u(), to: r.u(), key: r.u(), ts: r.u(), value: r.u(), epoch: r.u(), flag: r.u() });
  }
  const history: HistEntry[] = [];
  for (let i = r.u(); i > 0; i--) {
    history.push({ p: r.u(), type: r.u() as 0 | 1, f: r.u() as 0 | 1 | 2, key: r.u(), value: r.u() - 1 });
  }
  const ghostDurable: GhostDurable[] = [];
  for (let i = r.u(); i > 0; i--) ghostDurable.push({ key: r.u(), ts: r.u(), members: r.u() });
  const ghostReadNode = r.u() - 1;
  const ghostReadKey = r.u();
  if (!r.done()) throw new Error('decode: trailing bytes after state encoding');
  return { epoch, nodes, net, writesLeft, readsLeft, scopesLeft, crashesLeft, history, ghostDurable, ghostReadNode, ghostReadKey };
}
