/**
 * One TCP connection to a node's client port (or the supervisor's control port):
 * pipelined requests matched to replies by `id`, replies in any order. When the
 * connection ends, or a reply breaks the frame format or the reply schema, every
 * pending request rejects with ConnectionLost: its outcome is unknown to the client.
 */
import { connect, type Socket } from 'node:net';
import * as z from 'zod';
import { FrameDecoder, FrameError, encodeFrame, type FrameObject } from './frames.ts';

export class ConnectionLost extends Error {
  override readonly name = 'ConnectionLost';
}

/** A request that took longer than its timeout: like a lost connection, its outcome is unknown. */
export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout';
}

export const Reply = z.looseObject({
  id: z.number().int(),
  ok: z.boolean(),
  error: z.string().optional(),
  definite: z.boolean().optional(),
});
export type Reply = z.infer<typeof Reply> & FrameObject;

interface Pending {
  resolve(reply: Reply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | undefined;
}

export class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly decoder = new FrameDecoder();
  private lostReason: string | undefined;
  private readonly closeListeners: ((reason: string) => void)[] = [];

  private constructor(private readonly socket: Socket, readonly where: string) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.lose(`${e.message}`));
    socket.on('close', () => this.lose('connection closed'));
  }

  /** Connects, or rejects with ConnectionLost after `timeoutMs`. */
  static open(host: string, port: number, timeoutMs = 2000): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectionLost(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new Connection(socket, `${host}:${port}`));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new ConnectionLost(`connect to ${host}:${port}: ${e.message}`));
      });
    });
  }

  get alive(): boolean {
    return this.lostReason === undefined;
  }

  onClose(listener: (reason: string) => void): void {
    if (this.lostReason !== undefined) listener(this.lostReason);
    else this.closeListeners.push(listener);
  }

  /** Sends `{id, ...body}`; resolves with the reply carrying that id. */
  request(body: FrameObject, timeoutMs?: number): Promise<Reply> {
    if (this.lostReason !== undefined) return Promise.reject(new ConnectionLost(this.lostReason));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.pending.delete(id);
              reject(new RequestTimeout(`no reply from ${this.where} within ${timeoutMs} ms`));
            }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.write(encodeFrame({ id, ...body }));
    });
  }

  close(): void {
    this.socket.destroy();
    this.lose('closed by the client');
  }

  private onData(chunk: Buffer): void {
    let frames: FrameObject[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.fail(e instanceof FrameError ? `bad frame from ${this.where}: ${e.message}` : String(e));
      return;
    }
    for (const frame of frames) {
      const parsed = Reply.safeParse(frame);
      if (!parsed.success) {
        this.fail(`reply from ${this.where} does not match the schema: ${JSON.stringify(frame).slice(0, 200)}`);
        return;
      }
      const p = this.pending.get(parsed.data.id);
      // A reply to a request that timed out, or to no request: the request's fate was already recorded.
      if (p === undefined) continue;
      this.pending.delete(parsed.data.id);
      if (p.timer) clearTimeout(p.timer);
      p.resolve(parsed.data as Reply);
    }
  }

  private fail(reason: string): void {
    this.socket.destroy();
    this.lose(reason);
  }

  private lose(reason: string): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    for (const [, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new ConnectionLost(`${this.where}: ${reason}`));
    }
    this.pending.clear();
    for (const l of this.closeListeners.splice(0)) l(reason);
  }
}
