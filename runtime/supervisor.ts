/**
 * The supervisor of `heal cluster`: starts the membership service and the node
 * processes, writes DIR/cluster.json, appends DIR/views.jsonl, and answers the control
 * port (kill, restart, status, partition; spec/runtime-protocol.md). Children are forked
 * from the build (dist/child.js) when there is a current one, else from the sources
 * through tsx.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiled, entryModule, projectFile } from '../checker/locate.ts';
import { readFrames, writeFrame } from './wire/frames.ts';
import { ControlRequest, type View } from './wire/messages.ts';
import { writeFileAtomic } from './node/store.ts';
import type { FromChild, ToChild } from './child.ts';
import type { NodeOptions } from './node/node.ts';
import type { Persistency, Recovery } from './node/core.ts';

export interface ClusterOptions {
  readonly data: string;
  readonly nodes: number;
  readonly persistency: Persistency;
  readonly recovery: Recovery;
  readonly keys: number;
  readonly valueBytes: number;
  readonly host: string;
  readonly controlPort: number;
  readonly events: boolean;
  readonly heartbeatMs: number;
  readonly leaseMs: number;
}

/** Exit code of a fenced node (node.ts EXIT_FENCED): restarted by the supervisor. */
const EXIT_FENCED = 75;

interface NodeSlot {
  readonly id: number;
  child: ChildProcess | null;
  pid: number;
  alive: boolean;
  clientPort: number;
  peerPort: number;
  readonly data: string;
}

async function childEntry(): Promise<{ path: string; execArgv: string[] }> {
  if (compiled) return { path: fileURLToPath(entryModule('runtime/child.ts')), execArgv: [] };
  const { buildIsCurrent } = await import('../bin/build.mjs');
  if (buildIsCurrent(fileURLToPath(projectFile('.')))) return { path: fileURLToPath(projectFile('dist/child.js')), execArgv: [] };
  return { path: fileURLToPath(projectFile('runtime/child.ts')), execArgv: ['--import', 'tsx'] };
}

export class Cluster {
  readonly slots: NodeSlot[] = [];
  private service: ChildProcess | null = null;
  servicePort = 0;
  controlPort = 0;
  private control: Server | null = null;
  private entry: { path: string; execArgv: string[] } | null = null;
  private readonly t0 = performance.now();
  private readonly partitioned = new Set<number>();
  private view: View | null = null;
  private statusSeq = 0;
  private readonly statusWaiters = new Map<number, (s: unknown) => void>();
  private stopping = false;
  private readonly controlConns = new Set<Socket>();

  constructor(readonly opts: ClusterOptions) {}

  get dir(): string {
    return resolve(this.opts.data);
  }

  async start(): Promise<void> {
    if (existsSync(join(this.dir, 'cluster.json'))) {
      throw new Error(`${join(this.dir, 'cluster.json')} exists: that folder holds a cluster already; give a new --data folder`);
    }
    mkdirSync(this.dir, { recursive: true });
    this.entry = await childEntry();
    await this.startService(0);
    for (let id = 0; id < this.opts.nodes; id++) {
      this.slots.push({ id, child: null, pid: 0, alive: false, clientPort: 0, peerPort: 0, data: join(this.dir, `node-${id}`) });
    }
    await Promise.all(this.slots.map((s) => this.startNode(s, false)));
    for (const s of this.slots) this.tell(s, { type: 'peers', peers: this.peerAddrs() });
    // Ready means every node installed the initial view and can take requests.
    const deadline = Date.now() + 30_000;
    for (const s of this.slots) {
      for (;;) {
        const st = await this.nodeStatus(s.id);
        if (st !== null && (st.epoch as number) >= 0) break;
        if (Date.now() > deadline) throw new Error(`node ${s.id} did not join the initial view within 30 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await this.listenControl();
    this.writeClusterJson();
  }

  private peerAddrs(): { host: string; port: number }[] {
    return this.slots.map((s) => ({ host: this.opts.host, port: s.peerPort }));
  }

  private tell(s: NodeSlot, m: ToChild): void {
    if (s.alive && s.child?.connected) s.child.send(m);
  }

  private forkChild(args: string[]): ChildProcess {
    const e = this.entry!;
    return fork(e.path, args, { execArgv: e.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  private waitListening(child: ChildProcess): Promise<{ clientPort: number; peerPort: number }> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before listening`));
      child.once('exit', onExit);
      child.on('message', (m: FromChild) => {
        if (m.type === 'listening') {
          child.off('exit', onExit);
          resolve(m);
        }
      });
    });
  }

  async startService(port: number): Promise<void> {
    const child = this.forkChild([
      'membership',
      JSON.stringify({ nodes: this.opts.nodes, recovery: this.opts.recovery, data: join(this.dir, 'membership'), host: this.opts.host, port, leaseMs: this.opts.leaseMs }),
    ]);
    child.on('message', (m: FromChild) => {
      if (m.type === 'view') this.onView(m.view as View);
    });
    this.service = child;
    this.servicePort = (await this.waitListening(child)).clientPort;
  }

  /** Kills the membership service (SIGKILL) and starts it again on its port and state. */
  async restartService(): Promise<void> {
    const old = this.service!;
    const gone = new Promise((r) => old.once('exit', r));
    old.kill('SIGKILL');
    await gone;
    await this.startService(this.servicePort);
  }

  private onView(v: View): void {
    this.view = v;
    const line = { t: Math.round(performance.now() - this.t0), epoch: v.epoch, members: v.members, roles: v.roles, cause: v.cause, node: v.node, buddy: v.buddy };
    appendFileSync(join(this.dir, 'views.jsonl'), `${JSON.stringify(line)}\n`);
  }

  private async startNode(s: NodeSlot, known: boolean): Promise<void> {
    const o: NodeOptions = {
      id: s.id, nodes: this.opts.nodes, keys: this.opts.keys, persistency: this.opts.persistency, recovery: this.opts.recovery,
      valueBytes: this.opts.valueBytes, data: s.data, host: this.opts.host, clientPort: s.clientPort, peerPort: s.peerPort,
      peers: known ? this.peerAddrs() : null, membership: { host: this.opts.host, port: this.servicePort },
      events: this.opts.events, heartbeatMs: this.opts.heartbeatMs, leaseMs: this.opts.leaseMs, partitioned: [...this.partitioned],
    };
    const child = this.forkChild(['node', JSON.stringify(o)]);
    s.child = child;
    s.pid = child.pid ?? 0;
    child.on('message', (m: FromChild) => {
      if (m.type === 'status') this.statusWaiters.get(m.id)?.(m.status);
    });
    child.on('exit', (code) => {
      if (s.child !== child) return;
      s.alive = false;
      if (code === EXIT_FENCED && !this.stopping) void this.restart(s.id);
    });
    const ports = await this.waitListening(child);
    s.clientPort = ports.clientPort;
    s.peerPort = ports.peerPort;
    s.alive = true;
  }

  async kill(id: number): Promise<number> {
    const s = this.slots[id]!;
    const child = s.child;
    if (child === null || !s.alive) return s.pid;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    return s.pid;
  }

  async restart(id: number): Promise<number> {
    const s = this.slots[id]!;
    if (s.alive) await this.kill(id);
    await this.startNode(s, true);
    this.writeClusterJson();
    return s.pid;
  }

  partition(id: number, drop: boolean): void {
    if (drop) this.partitioned.add(id);
    else this.partitioned.delete(id);
    for (const s of this.slots) this.tell(s, { type: 'partition', node: id, drop });
  }

  async nodeStatus(id: number): Promise<Record<string, unknown> | null> {
    const s = this.slots[id]!;
    if (!s.alive || !s.child?.connected) return null;
    const sid = ++this.statusSeq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.statusWaiters.delete(sid);
        resolve(null);
      }, 2000);
      this.statusWaiters.set(sid, (st) => {
        clearTimeout(timer);
        this.statusWaiters.delete(sid);
        resolve(st as Record<string, unknown>);
      });
      s.child!.send({ type: 'status', id: sid } satisfies ToChild);
    });
  }

  async status(): Promise<Record<string, unknown>> {
    const nodes = await Promise.all(
      this.slots.map(async (s) => {
        const st = await this.nodeStatus(s.id);
        return { id: s.id, pid: s.pid, alive: s.alive, role: st?.role ?? 'down', epoch: st?.epoch ?? null, incarnation: st?.incarnation ?? null, recovering: st?.recovering ?? null, stats: st?.stats ?? null };
      }),
    );
    return { nodes, view: this.view };
  }

  clusterJson(): Record<string, unknown> {
    return {
      version: 1, persistency: this.opts.persistency, recovery: this.opts.recovery, keys: this.opts.keys, valueBytes: this.opts.valueBytes,
      nodes: this.slots.map((s) => ({ id: s.id, host: this.opts.host, clientPort: s.clientPort, peerPort: s.peerPort, pid: s.pid, data: s.data })),
      membership: { host: this.opts.host, port: this.servicePort, pid: this.service?.pid ?? 0 },
      control: { host: this.opts.host, port: this.controlPort },
    };
  }

  private writeClusterJson(): void {
    writeFileAtomic(join(this.dir, 'cluster.json'), `${JSON.stringify(this.clusterJson(), null, 1)}\n`);
  }

  private async listenControl(): Promise<void> {
    this.control = createServer((conn) => {
      this.controlConns.add(conn);
      conn.on('close', () => this.controlConns.delete(conn));
      conn.on('error', () => {});
      readFrames(conn, (obj) => {
        const r = ControlRequest.safeParse(obj);
        if (!r.success) return false;
        void this.onControl(r.data).then((reply) => {
          if (!conn.destroyed) writeFrame(conn, reply);
        });
        return true;
      });
    });
    this.controlPort = await new Promise<number>((resolve, reject) => {
      this.control!.once('error', reject);
      this.control!.listen(this.opts.controlPort, this.opts.host, () => resolve((this.control!.address() as { port: number }).port));
    });
  }

  private async onControl(req: ControlRequest): Promise<Record<string, unknown>> {
    if (req.op === 'status') return { id: req.id, ok: true, ...(await this.status()) };
    if (req.node >= this.opts.nodes) return { id: req.id, ok: false, error: 'bad-request' };
    if (req.op === 'kill') return { id: req.id, ok: true, pid: await this.kill(req.node) };
    if (req.op === 'restart') return { id: req.id, ok: true, pid: await this.restart(req.node) };
    this.partition(req.node, req.drop);
    return { id: req.id, ok: true };
  }

  /** Stops every child (SIGTERM, then SIGKILL after a grace period); removes nothing from DIR. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const c of this.controlConns) c.destroy();
    this.control?.close();
    const children = [...this.slots.map((s) => (s.alive ? s.child : null)), this.service].filter((c): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null);
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(() => c.kill('SIGKILL'), 2000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
  }
}
