/**
 * The supervisor's control port (runtime contract): kill, restart, status, partition.
 * One short connection per command: the nemesis issues a handful, and a fresh connection
 * cannot be left broken by an earlier failure.
 */
import { Connection, type Reply } from './connection.ts';

export interface ControlStatus {
  readonly nodes: readonly { id: number; pid?: number; alive: boolean; role?: string; epoch?: number }[];
  readonly view?: unknown;
}

export class ControlError extends Error {
  override readonly name = 'ControlError';
}

export class Control {
  constructor(readonly host: string, readonly port: number, private readonly timeoutMs = 10_000) {}

  private async call(body: Record<string, unknown>): Promise<Reply> {
    const conn = await Connection.open(this.host, this.port, this.timeoutMs);
    try {
      const reply = await conn.request(body, this.timeoutMs);
      if (!reply.ok) throw new ControlError(`control ${String(body.op)}${body.node === undefined ? '' : ` node ${String(body.node)}`}: ${reply.error ?? 'refused'}`);
      return reply;
    } finally {
      conn.close();
    }
  }

  async kill(node: number): Promise<number | undefined> {
    const r = await this.call({ op: 'kill', node });
    return typeof r.pid === 'number' ? r.pid : undefined;
  }

  async restart(node: number): Promise<number | undefined> {
    const r = await this.call({ op: 'restart', node });
    return typeof r.pid === 'number' ? r.pid : undefined;
  }

  async partition(node: number, drop: boolean): Promise<void> {
    await this.call({ op: 'partition', node, drop });
  }

  async status(): Promise<ControlStatus> {
    const r = await this.call({ op: 'status' });
    if (!Array.isArray(r.nodes)) throw new ControlError('control status: reply has no nodes list');
    return { nodes: r.nodes as ControlStatus['nodes'], view: r.view };
  }
}
