/**
 * The membership service (spec/runtime-protocol.md "Membership"): its own process,
 * heartbeats and leases, views installed one at a time in epoch order. It decides the
 * view changes of the model's C-CRASH, C-RESTART and C-PROMOTE and what the nodes need
 * to apply them (the Buddy, the buffer holders); the nodes apply the rules themselves.
 * Every view is on disk (fsync, atomic rename) before any node hears of it, so a
 * restarted service goes on from the last view it sent.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { readFrames, writeFrame } from '../wire/frames.ts';
import { ToService, View, type FromService } from '../wire/messages.ts';
import { writeFileAtomic } from '../node/store.ts';
import { buddyOf } from './buddy.ts';

export interface ServiceOptions {
  readonly nodes: number;
  readonly recovery: 'heal' | 'fullcopy';
  readonly data: string;
  readonly host: string;
  readonly port: number;
  readonly leaseMs: number;
}

interface Persisted {
  readonly views: View[];
  /** Per node: a process of it has been accepted as a member since the cluster started. */
  readonly started: boolean[];
  /** Per node f: the members holding a Missed_updates buffer for f (H-BUDDY). */
  readonly holders: number[];
}

function bit(n: number): number {
  return 1 << n;
}

export class MembershipService {
  private state: Persisted;
  private server: Server | null = null;
  private readonly conns = new Map<number, Socket>();
  private readonly lastHb: number[];
  private timer: NodeJS.Timeout | null = null;
  /** When the expiry timer last ran: a late tick measures a stall of this process. */
  private lastTick = 0;

  constructor(readonly opts: ServiceOptions, private readonly onView: (v: View) => void) {
    mkdirSync(opts.data, { recursive: true });
    const path = join(opts.data, 'state.json');
    if (existsSync(path)) {
      const raw = JSON.parse(readFileSync(path, 'utf8')) as Persisted;
      this.state = { views: raw.views.map((v) => View.parse(v)), started: raw.started, holders: raw.holders };
    } else {
      const all = Array.from({ length: opts.nodes }, (_, n) => n);
      const roles: Record<string, 'replica'> = {};
      for (const n of all) roles[String(n)] = 'replica';
      const init: View = { epoch: 0, members: all, roles, cause: 'init', node: -1, wasShadow: false, buddy: -1, holders: {}, reselect: {} };
      this.state = { views: [init], started: all.map(() => false), holders: all.map(() => 0) };
      this.save();
    }
    // A (re)started service gives every member a full lease to reach it.
    this.lastHb = new Array<number>(opts.nodes).fill(performance.now());
  }

  get view(): View {
    return this.state.views[this.state.views.length - 1]!;
  }

  private save(): void {
    writeFileAtomic(join(this.opts.data, 'state.json'), `${JSON.stringify(this.state)}\n`);
  }

  async listen(): Promise<number> {
    this.server = createServer((s) => this.accept(s));
    const port = await new Promise<number>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host, () => resolve((this.server!.address() as { port: number }).port));
    });
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.expire(), this.tickMs);
    return port;
  }

  private accept(s: Socket): void {
    s.setNoDelay(true);
    s.on('error', () => {});
    let node = -1;
    s.on('close', () => {
      if (node >= 0 && this.conns.get(node) === s) this.conns.delete(node);
    });
    readFrames(s, (obj) => {
      const r = ToService.safeParse(obj);
      if (!r.success || r.data.node >= this.opts.nodes) return false;
      const m = r.data;
      if (m.kind === 'hello') {
        node = m.node;
        this.conns.set(node, s);
        this.hello(node, m.boot, m.epoch);
        return true;
      }
      if (m.node !== node) return false;
      if (m.kind === 'hb') {
        // A node removed while it could not be heard (a partition) learns it here.
        if (!this.view.members.includes(node)) {
          this.send(node, { kind: 'fenced', epoch: this.view.epoch });
          return true;
        }
        this.lastHb[node] = performance.now();
        this.send(node, { kind: 'hb-ack', t: m.t });
      } else if (m.epoch === this.view.epoch && this.view.roles[String(node)] === 'shadow') {
        this.install(this.promoteView(node));
      }
      return true;
    });
  }

  private send(node: number, m: FromService): void {
    const s = this.conns.get(node);
    if (s !== undefined && !s.destroyed) writeFrame(s, m);
  }

  private hello(node: number, boot: boolean, epoch: number): void {
    this.lastHb[node] = performance.now();
    const member = this.view.members.includes(node);
    if (boot && member && !this.state.started[node]) {
      // A node of the initial view starting for the first time: it applies every view so far.
      this.state.started[node] = true;
      this.save();
      for (const v of this.state.views) this.send(node, { kind: 'view', view: v });
      return;
    }
    if (boot) {
      // A new process of a node: whatever ran before under that id has crashed.
      if (member) this.install(this.crashView(node));
      this.state.started[node] = true;
      this.install(this.restartView(node));
      return;
    }
    if (!member) {
      this.send(node, { kind: 'fenced', epoch: this.view.epoch });
      return;
    }
    for (const v of this.state.views) if (v.epoch > epoch) this.send(node, { kind: 'view', view: v });
  }

  private get tickMs(): number {
    return Math.max(10, Math.floor(this.opts.leaseMs / 6));
  }

  /**
   * Lease expiry: a member not heard from for a lease is removed (C-CRASH). Time this
   * process did not run (a tick late by more than a tick: a stall of the machine, of the
   * disk under its fsync, or of this process) does not count against the nodes (R3):
   * after a stall this timer runs before the heartbeats that arrived meanwhile are read,
   * and every node's heartbeats stopped too when the whole machine stalled. Removing a
   * node later than a lease after its last heartbeat keeps its reads safe (it stops
   * reading at 0.75 of a lease after it sent that heartbeat).
   */
  private expire(): void {
    const now = performance.now();
    const late = now - this.lastTick - this.tickMs;
    this.lastTick = now;
    if (late > this.tickMs) {
      for (let n = 0; n < this.lastHb.length; n++) this.lastHb[n] = Math.min(now, this.lastHb[n]! + late);
      return;
    }
    for (const n of this.view.members) {
      // A node of the initial view that has not started yet holds no lease to expire.
      if (!this.state.started[n]) continue;
      if (now - this.lastHb[n]! > this.opts.leaseMs) {
        this.install(this.crashView(n));
        return;
      }
    }
  }

  private install(v: View): void {
    this.state.views.push(v);
    this.save();
    this.onView(v);
    for (const n of v.members) this.send(n, { kind: 'view', view: v });
  }

  private replicas(v: View): number {
    let m = 0;
    for (const [n, r] of Object.entries(v.roles)) if (r === 'replica') m |= bit(Number(n));
    return m;
  }

  private crashView(f: number): View {
    const cur = this.view;
    const wasShadow = cur.roles[String(f)] === 'shadow';
    const members = cur.members.filter((n) => n !== f);
    const roles = { ...cur.roles };
    delete roles[String(f)];
    const h = this.state.holders;
    for (let x = 0; x < h.length; x++) h[x]! &= ~bit(f);
    let live = 0;
    for (const n of members) live |= bit(n);
    // Every live member seeds a buffer for a replica that fails (H-SEED-MU); a shadow that
    // fails again keeps the buffers it had (H-REFAIL). FullCopy keeps none.
    if (this.opts.recovery === 'heal' && !wasShadow) h[f] = live;
    if (this.opts.recovery === 'fullcopy') h.fill(0);
    const next: View = { epoch: cur.epoch + 1, members, roles, cause: 'crash', node: f, wasShadow, buddy: -1, holders: {}, reselect: {} };
    const replicas = this.replicas(next);
    for (const n of members) {
      if (roles[String(n)] === 'shadow') next.reselect[String(n)] = buddyOf(n, this.opts.nodes, replicas, h[n]!);
    }
    return this.withHolders(next);
  }

  private restartView(f: number): View {
    const cur = this.view;
    const members = [...cur.members, f].sort((a, b) => a - b);
    const roles: View['roles'] = { ...cur.roles, [String(f)]: 'shadow' };
    const next: View = { epoch: cur.epoch + 1, members, roles, cause: 'restart', node: f, wasShadow: false, buddy: -1, holders: {}, reselect: {} };
    const v = this.withHolders(next);
    return { ...v, buddy: buddyOf(f, this.opts.nodes, this.replicas(cur), this.state.holders[f]!) };
  }

  private promoteView(f: number): View {
    const cur = this.view;
    // The members drop their buffers for f (C-PROMOTE).
    this.state.holders[f] = 0;
    const next: View = { ...cur, epoch: cur.epoch + 1, roles: { ...cur.roles, [String(f)]: 'replica' }, cause: 'promote', node: f, wasShadow: false, buddy: -1, holders: {}, reselect: {} };
    return this.withHolders(next);
  }

  private withHolders(v: View): View {
    const holders: Record<string, number> = {};
    this.state.holders.forEach((m, n) => {
      if (m !== 0) holders[String(n)] = m;
    });
    return { ...v, holders };
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    for (const s of this.conns.values()) s.destroy();
    this.server?.close();
  }
}
