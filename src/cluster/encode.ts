/**
 * Canonical, compact binary encoding of a cluster state (spec/cluster-model.md
 * "Canonical encoding"). decode(encode(s)) encodes the same.
 *
 * Fields are unsigned varints. A timestamp is two fields, ts >>> 7 and ts & 127: a
 * packed ts is >= 256 once written (timestamp.ts), so as one field it would take the
 * varint loop, while ts >>> 7 stays below 128 up to version 63 (past it, the slow path
 * below takes the state) and ts & 127 always does. In this model almost every other
 * field is below 128 too, so the hot path is one compare and one store per field; the
 * capacity is ensured once per state, never per field.
 *
 * Canonical forms: messages in flight in sorted order (the state keeps them sorted),
 * owed answers sorted, the linearizability monitor in its canonical form (lin-monitor.ts)
 * in place of the client history, and the ghost guarantee records as a set
 * (canonicalGhosts); the scope-write observations are kept sorted by their observer.
 */
import type { ClientOp, KeyState, MUBuffer, MUEntry, Msg, MsgType, NodeState, Owed, PPEntry, Recovering, Role, KeyStatus } from '../protocol/types.ts';
import { NO_KEYS, type KeySet } from '../protocol/key-set.ts';
import { epochWord, msgOfWords, valueWord } from '../protocol/message-words.ts';
import type { KeyLin, LinConfig, PendingWrite } from './lin-monitor.ts';
import { compareMsg, type ClusterConfig, type ClusterState, type GhostDurable, type ScopeWrite } from './state.ts';

/**
 * Every field is written by the layout functions below as `a |= out[p++] = value`: into
 * the byte buffer directly, OR-ing all values into `a`. If every value was below 128
 * (the usual case: one store per field, no branch), those bytes are already the varint
 * encoding. Otherwise the layout is written again into a Float64Array of whole field
 * values, which are then varint-encoded. Both paths give the same bytes for the same
 * state, so the encoding is canonical whichever one ran.
 */
type Sink = Uint8Array | Float64Array;

let bytesOut = new Uint8Array(4096);
let fieldsOut = new Float64Array(4096);
/** subarray views of bytesOut by length: creating a typed-array view is costly, and most states have a handful of sizes. */
let views: (Uint8Array | undefined)[] = [];
/** OR of every field value written since the last reset (set by the layout functions). */
let acc = 0;

function ensureCapacity(fields: number): void {
  if (fields <= bytesOut.length) return;
  let size = bytesOut.length * 2;
  while (size < fields) size *= 2;
  bytesOut = new Uint8Array(size);
  views = [];
}

function view(length: number): Uint8Array {
  let v = views[length];
  if (v === undefined) {
    v = bytesOut.subarray(0, length);
    views[length] = v;
  }
  return v;
}

/** The slow path: the whole fields in fieldsOut[0, count) as unsigned varints. */
function varintEncode(count: number): Uint8Array {
  ensureCapacity(5 * count);
  const b = bytesOut;
  let p = 0;
  for (let i = 0; i < count; i++) {
    let v = fieldsOut[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) {
      throw new Error(`encode: field value ${v} is not an unsigned 32-bit integer`);
    }
    while (v >= 0x80) {
      b[p++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    b[p++] = v;
  }
  return view(p);
}

function compareOwed(a: Owed, b: Owed): number {
  return a.kind - b.kind || a.key - b.key || a.ts - b.ts || a.to - b.to || a.epoch - b.epoch;
}

function sortedOwed(owed: readonly Owed[]): readonly Owed[] {
  for (let i = 1; i < owed.length; i++) if (compareOwed(owed[i - 1]!, owed[i]!) > 0) return owed.slice().sort(compareOwed);
  return owed;
}

function sortedNet(net: readonly Msg[]): readonly Msg[] {
  for (let i = 1; i < net.length; i++) if (compareMsg(net[i - 1]!, net[i]!) > 0) return net.slice().sort(compareMsg);
  return net;
}

function compareGhost(a: GhostDurable, b: GhostDurable): number {
  return a.key - b.key || a.ts - b.ts || a.members - b.members;
}

/**
 * The ghost guarantee records as a set: sorted, without duplicates, and without records
 * whose member set is empty. Sound because their only reader (DUR-SYNCH, SCOPE-DURABLE)
 * checks each record on its own, a duplicate checks the same thing twice, and an empty
 * record checks nothing and stays empty (members only ever lose nodes). Only the text of
 * a violation can differ (which record is named first), never the verdict.
 */
function canonicalGhosts(ghosts: readonly GhostDurable[]): readonly GhostDurable[] {
  let canonical = true;
  for (let i = 0; i < ghosts.length && canonical; i++) {
    if (ghosts[i]!.members === 0 || (i > 0 && compareGhost(ghosts[i - 1]!, ghosts[i]!) >= 0)) canonical = false;
  }
  if (canonical) return ghosts;
  const sorted = ghosts.filter((g) => g.members !== 0).sort(compareGhost);
  return sorted.filter((g, i) => i === 0 || compareGhost(sorted[i - 1]!, g) !== 0);
}

/** An upper bound of the fields writeNode writes for n. */
function nodeFieldBound(n: NodeState): number {
  const K = n.keys.length;
  const N = n.mu.length;
  return 3 + 12 * K + 4 * K + 1 + 5 * n.pending.length + 1 + 6 * n.owed.length + 5 * K + N * (1 + 4 * K) + 6 +
    6 + (n.client === null ? 0 : n.client.waiting.length) + 2 * K;
}

// Timestamps are packed (>= 256 once written), so each is two fields, ts >> 7 and
// ts & 127, both small: a ts then stays on the one-byte-per-field path.

function writeNode(b: Sink, p: number, n: NodeState): number {
  let a = 0;
  a |= b[p++] = n.role;
  a |= b[p++] = n.incarnation;
  a |= b[p++] = n.applySeq;
  for (const k of n.keys) {
    a |= b[p++] = k.value;
    a |= b[p++] = k.ts >>> 7;
    b[p++] = k.ts & 0x7f;
    a |= b[p++] = k.status;
    a |= b[p++] = k.lastWriter;
    a |= b[p++] = k.wts >>> 7;
    b[p++] = k.wts & 0x7f;
    a |= b[p++] = k.wval;
    a |= b[p++] = k.acks;
    a |= b[p++] = k.wepoch;
    a |= b[p++] = k.packs;
    b[p++] = (k.dmark ? 1 : 0) | (k.committed ? 2 : 0);
  }
  for (const d of n.durable) {
    a |= b[p++] = d.ts >>> 7;
    b[p++] = d.ts & 0x7f;
    a |= b[p++] = d.value;
    a |= b[p++] = d.seq;
  }
  a |= b[p++] = n.pending.length;
  for (const x of n.pending) {
    a |= b[p++] = x.key;
    a |= b[p++] = x.ts >>> 7;
    b[p++] = x.ts & 0x7f;
    a |= b[p++] = x.value;
    a |= b[p++] = x.seq;
  }
  const owed = n.owed.length > 1 ? sortedOwed(n.owed) : n.owed;
  a |= b[p++] = owed.length;
  for (const o of owed) {
    a |= b[p++] = o.kind;
    a |= b[p++] = o.key;
    a |= b[p++] = o.ts >>> 7;
    b[p++] = o.ts & 0x7f;
    a |= b[p++] = o.to;
    a |= b[p++] = o.epoch;
  }
  for (const e of n.pp) {
    if (e === null) b[p++] = 0;
    else {
      b[p++] = 1;
      a |= b[p++] = e.ts >>> 7;
      b[p++] = e.ts & 0x7f;
      a |= b[p++] = e.value;
      a |= b[p++] = e.conf;
    }
  }
  for (const m of n.mu) {
    if (m === null) {
      b[p++] = 0;
      continue;
    }
    b[p++] = m.frozen ? 2 : 1;
    for (const e of m.entries) {
      if (e === null) b[p++] = 0;
      else {
        b[p++] = e.valid ? 2 : 1;
        a |= b[p++] = e.ts >>> 7;
        b[p++] = e.ts & 0x7f;
        a |= b[p++] = e.value;
      }
    }
  }
  const r = n.rec;
  if (r === null) b[p++] = 0;
  else {
    b[p++] = 1;
    a |= b[p++] = r.buddy + 1;
    a |= b[p++] = r.startWait;
    // Key sets take one word: the model's configurations have at most 32 keys (CLUSTER_LIMITS).
    a |= b[p++] = r.muKeys[0] ?? 0;
    a |= b[p++] = r.muEnd + 1;
    a |= b[p++] = r.touched[0] ?? 0;
  }
  const c = n.client;
  if (c === null) b[p++] = 0;
  else {
    a |= b[p++] = c.kind + 1;
    a |= b[p++] = c.key;
    a |= b[p++] = c.ts >>> 7;
    b[p++] = c.ts & 0x7f;
    a |= b[p++] = c.value;
    a |= b[p++] = c.waiting.length;
    for (const x of c.waiting) a |= b[p++] = x;
  }
  for (const x of n.scopeTs) {
    a |= b[p++] = x >>> 7;
    b[p++] = x & 0x7f;
  }
  acc |= a;
  return p;
}

function writeRest(b: Sink, p: number, s: ClusterState): number {
  let a = 0;
  const net = s.net.length > 1 ? sortedNet(s.net) : s.net;
  a |= b[p++] = net.length;
  for (const m of net) {
    a |= b[p++] = m.type;
    a |= b[p++] = m.from;
    a |= b[p++] = m.to;
    a |= b[p++] = m.key;
    a |= b[p++] = m.ts >>> 7;
    b[p++] = m.ts & 0x7f;
    a |= b[p++] = valueWord(m);
    a |= b[p++] = epochWord(m);
    a |= b[p++] = m.valid ? 1 : 0;
  }
  // The linearizability monitor stands for the client history (see ClusterState.history).
  for (const k of s.lin) {
    a |= b[p++] = k.pending.length;
    for (const w of k.pending) {
      a |= b[p++] = w.p;
      a |= b[p++] = w.value;
    }
    a |= b[p++] = k.configs.length;
    for (const c of k.configs) {
      a |= b[p++] = c.value;
      a |= b[p++] = c.done;
    }
  }
  const ghosts = canonicalGhosts(s.ghostDurable);
  a |= b[p++] = ghosts.length;
  for (const g of ghosts) {
    a |= b[p++] = g.key;
    a |= b[p++] = g.ts >>> 7;
    b[p++] = g.ts & 0x7f;
    a |= b[p++] = g.members;
  }
  // Kept sorted with one entry per (node, key) by the observer (observers.ts).
  a |= b[p++] = s.ghostScopeWrites.length;
  for (const w of s.ghostScopeWrites) {
    a |= b[p++] = w.node;
    a |= b[p++] = w.key;
    a |= b[p++] = w.ts >>> 7;
    b[p++] = w.ts & 0x7f;
  }
  for (const g of s.ghostStreamed) a |= b[p++] = g;
  for (const w of s.ghostAwaiting) a |= b[p++] = w;
  a |= b[p++] = s.ghostReadNode + 1;
  a |= b[p++] = s.ghostReadKey;
  a |= b[p++] = s.ghostReadTs >>> 7;
  b[p++] = s.ghostReadTs & 0x7f;
  acc |= a;
  return p;
}

function writeState(b: Sink, s: ClusterState): number {
  acc = 0;
  let a = 0;
  let p = 0;
  a |= b[p++] = s.epoch;
  a |= b[p++] = s.writesLeft;
  a |= b[p++] = s.readsLeft;
  a |= b[p++] = s.scopesLeft;
  a |= b[p++] = s.crashesLeft;
  a |= b[p++] = s.nodes.length;
  acc |= a;
  for (const n of s.nodes) p = writeNode(b, p, n);
  return writeRest(b, p, s);
}

/** The returned view is overwritten by the next call (Model.encode contract). */
export function encode(s: ClusterState): Uint8Array {
  let fields = 6 + 9 * s.net.length + 1 + 4 * s.ghostDurable.length + 1 + 4 * s.ghostScopeWrites.length + s.ghostStreamed.length + s.ghostAwaiting.length + 4;
  for (const k of s.lin) fields += 2 + 2 * k.pending.length + 2 * k.configs.length;
  for (const n of s.nodes) fields += nodeFieldBound(n);
  ensureCapacity(fields);
  const count = writeState(bytesOut, s);
  // A value >= 128 or negative sets a bit above the low 7 of acc (negatives: the sign bit).
  if ((acc & ~0x7f) === 0) return view(count);
  if (fieldsOut.length < fields) fieldsOut = new Float64Array(Math.max(fields, 2 * fieldsOut.length));
  return varintEncode(writeState(fieldsOut, s));
}

class ByteReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  u(): number {
    // Past the end this reads undefined, which fails the test and reaches the checks of uLong.
    const first = this.buf[this.pos]!;
    if (first < 0x80) {
      this.pos++;
      return first;
    }
    return this.uLong();
  }
  private uLong(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('decode: truncated state encoding');
      const b = this.buf[this.pos++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  }
  /** A timestamp: two fields, ts >> 7 and ts & 127. */
  t(): number {
    const high = this.u();
    return high * 128 + this.u();
  }
  done(): boolean {
    return this.pos === this.buf.length;
  }
}

function readNode(r: ByteReader, config: ClusterConfig): NodeState {
  const K = config.keys;
  const N = config.nodes;
  const role = r.u() as Role;
  const incarnation = r.u();
  const applySeq = r.u();
  const keys: KeyState[] = [];
  for (let k = 0; k < K; k++) {
    const value = r.u();
    const ts = r.t();
    const status = r.u() as KeyStatus;
    const lastWriter = r.u();
    const wts = r.t();
    const wval = r.u();
    const acks = r.u();
    const wepoch = r.u();
    const packs = r.u();
    const flags = r.u();
    keys.push({ value, ts, status, lastWriter, wts, wval, acks, wepoch, packs, dmark: (flags & 1) !== 0, committed: (flags & 2) !== 0 });
  }
  const durable = [];
  for (let k = 0; k < K; k++) durable.push({ ts: r.t(), value: r.u(), seq: r.u() });
  const pending = [];
  for (let i = r.u(); i > 0; i--) pending.push({ key: r.u(), ts: r.t(), value: r.u(), seq: r.u() });
  const owed: Owed[] = [];
  for (let i = r.u(); i > 0; i--) owed.push({ kind: r.u() as Owed['kind'], key: r.u(), ts: r.t(), to: r.u(), epoch: r.u() });
  const pp: (PPEntry | null)[] = [];
  for (let k = 0; k < K; k++) pp.push(r.u() === 0 ? null : { ts: r.t(), value: r.u(), conf: r.u() });
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
      entries.push(e === 0 ? null : { valid: e === 2, ts: r.t(), value: r.u() });
    }
    mu.push({ frozen: tag === 2, entries });
  }
  let rec: Recovering | null = null;
  if (r.u() === 1) rec = { buddy: r.u() - 1, startWait: r.u(), muKeys: keySetOfWord(r.u()), muEnd: r.u() - 1, touched: keySetOfWord(r.u()) };
  let client: ClientOp | null = null;
  const ck = r.u();
  if (ck !== 0) {
    const kind = (ck - 1) as ClientOp['kind'];
    const key = r.u();
    const ts = r.t();
    const value = r.u();
    const waiting: number[] = [];
    for (let i = r.u(); i > 0; i--) waiting.push(r.u());
    client = { kind, key, ts, value, waiting };
  }
  const scopeTs: number[] = [];
  for (let k = 0; k < K; k++) scopeTs.push(r.t());
  return { role, incarnation, keys, durable, pending, owed, pp, mu, rec, client, scopeTs, applySeq };
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
    net.push(msgOfWords(r.u() as MsgType, r.u(), r.u(), r.u(), r.t(), r.u(), r.u(), r.u()));
  }
  const lin: KeyLin[] = [];
  for (let k = 0; k < config.keys; k++) {
    const pending: PendingWrite[] = [];
    for (let i = r.u(); i > 0; i--) pending.push({ p: r.u(), value: r.u() });
    const configs: LinConfig[] = [];
    for (let i = r.u(); i > 0; i--) configs.push({ value: r.u(), done: r.u() });
    lin.push({ pending, configs });
  }
  const ghostDurable: GhostDurable[] = [];
  for (let i = r.u(); i > 0; i--) ghostDurable.push({ key: r.u(), ts: r.t(), members: r.u() });
  const ghostScopeWrites: ScopeWrite[] = [];
  for (let i = r.u(); i > 0; i--) ghostScopeWrites.push({ node: r.u(), key: r.u(), ts: r.t() });
  const ghostStreamed: number[] = [];
  for (let i = config.nodes * config.nodes * config.keys; i > 0; i--) ghostStreamed.push(r.u());
  const ghostAwaiting: number[] = [];
  for (let i = config.nodes; i > 0; i--) ghostAwaiting.push(r.u());
  const ghostReadNode = r.u() - 1;
  const ghostReadKey = r.u();
  const ghostReadTs = r.t();
  if (!r.done()) throw new Error('decode: trailing bytes after state encoding');
  return { epoch, nodes, net, writesLeft, readsLeft, scopesLeft, crashesLeft, history: null, lin, ghostDurable, ghostScopeWrites, ghostStreamed, ghostAwaiting, ghostReadNode, ghostReadKey, ghostReadTs };
}

function keySetOfWord(w: number): KeySet {
  return w === 0 ? NO_KEYS : [w];
}
