/**
 * A stand-in for `heal cluster` that speaks the runtime contract (spec'd in
 * RUNTIME-CONTRACT.md): N client ports over one in-memory store, a control port, and
 * DIR/cluster.json and DIR/views.jsonl. It is linearizable by construction (one store,
 * one thread, an operation takes effect when its frame arrives; the reply may be
 * delayed), so the client side can be tested on its own. A killed node closes its
 * connections; a restarted one is a shadow refusing clients until it is promoted
 * `promoteDelayMs` later.
 *
 * Mutant `lose-on-kill`: killing a node undoes the writes that node acknowledged since
 * the previous write of each key, as a node that acked before its write was durable
 * anywhere else would. The judged run must catch it.
 */
import { mkdirSync, appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { FrameDecoder, encodeFrame, type FrameObject } from '../../runtime/client/frames.ts';

export interface FakeOptions {
  readonly dir: string;
  readonly nodes: number;
  readonly keys: number;
  readonly promoteDelayMs?: number;
  readonly replyDelayMs?: number;
  readonly mutant?: 'lose-on-kill';
  readonly valueBytes?: number;
  readonly persistency?: string;
}

interface FakeNode {
  readonly id: number;
  port: number;
  server: Server | undefined;
  sockets: Set<Socket>;
  alive: boolean;
  role: 'replica' | 'shadow';
  incarnation: number;
  pid: number;
  promoteTimer: NodeJS.Timeout | undefined;
  stats: { muEntriesReceived: number; received: { MU: { frames: number; bytes: number } } };
}

export class FakeCluster {
  private readonly store = new Map<number, { value: number; previous: number; by: number }>();
  private readonly nodes: FakeNode[] = [];
  private control: Server | undefined;
  private controlPort = 0;
  private readonly controlSockets = new Set<Socket>();
  private epoch = 1;
  private readonly started = performance.now();
  private nextPid = 100000;
  /** Client requests each node has answered, for tests that look at the spread. */
  readonly served: number[] = [];

  constructor(readonly o: FakeOptions) {}

  async start(): Promise<this> {
    mkdirSync(this.o.dir, { recursive: true });
    for (let id = 0; id < this.o.nodes; id++) {
      const node: FakeNode = { id, port: 0, server: undefined, sockets: new Set(), alive: false, role: 'replica', incarnation: 0, pid: this.nextPid++, promoteTimer: undefined, stats: { muEntriesReceived: 0, received: { MU: { frames: 0, bytes: 0 } } } };
      this.nodes.push(node);
      this.served.push(0);
      await this.listen(node);
    }
    this.control = createServer((s) => this.serve(s, this.controlSockets, (m) => this.onControl(m)));
    await new Promise<void>((r) => this.control!.listen(0, '127.0.0.1', r));
    this.controlPort = (this.control.address() as { port: number }).port;
    writeFileSync(join(this.o.dir, 'views.jsonl'), '');
    this.writeClusterFile();
    return this;
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) await this.down(n);
    for (const s of this.controlSockets) s.destroy();
    await new Promise<void>((r) => (this.control ? this.control.close(() => r()) : r()));
  }

  value(key: number): number {
    return this.store.get(key)?.value ?? 0;
  }

  private async listen(node: FakeNode): Promise<void> {
    const server = createServer((s) => this.serve(s, node.sockets, (m) => this.onClient(node, m)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(node.port, '127.0.0.1', () => resolve());
    });
    node.port = (server.address() as { port: number }).port;
    node.server = server;
    node.alive = true;
  }

  private async down(node: FakeNode): Promise<void> {
    node.alive = false;
    if (node.promoteTimer) clearTimeout(node.promoteTimer);
    for (const s of node.sockets) s.destroy();
    node.sockets.clear();
    const server = node.server;
    node.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private serve(socket: Socket, set: Set<Socket>, handle: (m: FrameObject) => Promise<FrameObject | undefined> | FrameObject | undefined): void {
    set.add(socket);
    const decoder = new FrameDecoder();
    socket.on('close', () => set.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      let frames: FrameObject[];
      try {
        frames = decoder.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const f of frames) {
        void Promise.resolve(handle(f)).then((reply) => {
          if (reply && !socket.destroyed) socket.write(encodeFrame(reply));
        });
      }
    });
  }

  private async onClient(node: FakeNode, m: FrameObject): Promise<FrameObject | undefined> {
    const id = m.id;
    if (!node.alive) return undefined;
    if (m.op === 'status') return this.nodeStatus(node, id);
    if (node.role === 'shadow') return { id, ok: false, error: 'unavailable', definite: true };
    if (m.op === 'scope-end') return this.o.persistency === 'scope' ? { id, ok: true } : { id, ok: false, error: 'bad-request', definite: true };
    const key = m.key;
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= this.o.keys) return { id, ok: false, error: 'bad-request', definite: true };
    let reply: FrameObject;
    if (m.op === 'write' && typeof m.value === 'number') {
      this.store.set(key, { value: m.value, previous: this.value(key), by: node.id });
      reply = { id, ok: true };
    } else if (m.op === 'read') {
      reply = { id, ok: true, value: this.value(key) };
    } else {
      return { id, ok: false, error: 'bad-request', definite: true };
    }
    if (this.o.replyDelayMs) await new Promise((r) => setTimeout(r, Math.random() * this.o.replyDelayMs!));
    // A node killed while the reply was on its way never sends it.
    if (!node.alive) return undefined;
    this.served[node.id]!++;
    return reply;
  }

  private nodeStatus(node: FakeNode, id: unknown): FrameObject {
    return { id, ok: true, node: node.id, role: node.role, epoch: this.epoch, incarnation: node.incarnation, recovering: node.role === 'shadow', stats: structuredClone(node.stats) };
  }

  private async onControl(m: FrameObject): Promise<FrameObject> {
    const id = m.id;
    const node = typeof m.node === 'number' ? this.nodes[m.node] : undefined;
    switch (m.op) {
      case 'kill': {
        if (!node) return { id, ok: false, error: 'bad-request' };
        const pid = node.pid;
        if (node.alive) {
          await this.down(node);
          if (this.o.mutant === 'lose-on-kill') {
            for (const [k, e] of this.store) if (e.by === node.id) this.store.set(k, { value: e.previous, previous: e.previous, by: -1 });
          }
          this.view('crash', node.id);
        }
        return { id, ok: true, pid };
      }
      case 'restart': {
        if (!node) return { id, ok: false, error: 'bad-request' };
        if (!node.alive) {
          node.pid = this.nextPid++;
          node.incarnation++;
          node.role = 'shadow';
          await this.listen(node);
          this.writeClusterFile();
          this.view('restart', node.id);
          node.promoteTimer = setTimeout(() => {
            node.role = 'replica';
            // As the runtime's nodes count it (runtime/node/stats.ts): MU messages received.
            node.stats = { muEntriesReceived: this.store.size, received: { MU: { frames: this.store.size, bytes: 150 * this.store.size } } };
            this.view('promote', node.id);
          }, this.o.promoteDelayMs ?? 200);
        }
        return { id, ok: true, pid: node.pid };
      }
      case 'status':
        return { id, ok: true, nodes: this.nodes.map((n) => ({ id: n.id, pid: n.pid, alive: n.alive, role: n.role, epoch: this.epoch })), view: { epoch: this.epoch } };
      case 'partition':
        return { id, ok: true };
      default:
        return { id, ok: false, error: 'bad-request' };
    }
  }

  private view(cause: 'crash' | 'restart' | 'promote', node: number): void {
    this.epoch++;
    const members = this.nodes.filter((n) => n.alive).map((n) => n.id);
    const roles = Object.fromEntries(this.nodes.filter((n) => n.alive).map((n) => [n.id, n.role]));
    const line = { t: Math.round(performance.now() - this.started), epoch: this.epoch, members, roles, cause, node };
    appendFileSync(join(this.o.dir, 'views.jsonl'), `${JSON.stringify(line)}\n`);
  }

  private writeClusterFile(): void {
    const file = {
      version: 1,
      persistency: this.o.persistency ?? 'synch',
      recovery: 'heal',
      keys: this.o.keys,
      valueBytes: this.o.valueBytes ?? 150,
      nodes: this.nodes.map((n) => ({ id: n.id, host: '127.0.0.1', clientPort: n.port, peerPort: n.port + 1, pid: n.pid, data: join(this.o.dir, `node-${n.id}`) })),
      membership: { host: '127.0.0.1', port: this.controlPort + 1, pid: 1 },
      control: { host: '127.0.0.1', port: this.controlPort },
    };
    const path = join(this.o.dir, 'cluster.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(file, null, 1));
    renameSync(`${path}.tmp`, path);
  }
}

/** A Launcher (runtime/client/launch.ts) that starts the fake instead of `heal cluster`. */
export function fakeLauncher(extra: Partial<FakeOptions> = {}) {
  return async (spec: { dir: string; nodes: number; keys: number; valueBytes: number }) => {
    const fake = await new FakeCluster({ dir: spec.dir, nodes: spec.nodes, keys: spec.keys, valueBytes: spec.valueBytes, replyDelayMs: 1, promoteDelayMs: 150, ...extra }).start();
    const { readClusterFile } = await import('../../runtime/client/cluster-file.ts');
    return { dir: spec.dir, cluster: readClusterFile(spec.dir), stop: () => fake.stop(), fake };
  };
}
