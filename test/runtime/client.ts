/** A minimal client of the runtime's frame protocols, for the tests: one request at a time or pipelined. */
import { connect, type Socket } from 'node:net';
import { readFrames, writeFrame } from '../../runtime/wire/frames.ts';

export class FrameClient {
  private seq = 0;
  private readonly waiting = new Map<number, (r: Record<string, unknown>) => void>();
  closed = false;

  private constructor(private readonly sock: Socket) {
    readFrames(sock, (obj) => {
      const r = obj as Record<string, unknown>;
      const w = this.waiting.get(r.id as number);
      this.waiting.delete(r.id as number);
      w?.(r);
      return true;
    });
    sock.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.values()) w({ closed: true });
      this.waiting.clear();
    });
    sock.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<FrameClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(new FrameClient(s)));
      s.setNoDelay(true);
      s.once('error', reject);
    });
  }

  request(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      if (this.closed) return resolve({ closed: true });
      this.waiting.set(id, resolve);
      writeFrame(this.sock, { ...req, id });
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
