/**
 * Frames on every TCP connection of the runtime (client, control, peer, membership):
 * a 4-byte unsigned big-endian length L, then L bytes of UTF-8 JSON holding one object
 * (spec/runtime-protocol.md). A frame is handed on only once it is whole and parses, so
 * a connection that sends garbage is closed with nothing of that frame applied.
 */
import type { Socket } from 'node:net';

export const MAX_FRAME = 16 * 1024 * 1024;

export interface Frame {
  readonly obj: unknown;
  /** On the wire, length prefix included. */
  readonly bytes: number;
}

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

export function encodeFrame(obj: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(obj), 'utf8');
  if (body.length > MAX_FRAME) throw new FrameError(`frame of ${body.length} bytes exceeds ${MAX_FRAME}`);
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/**
 * Reassembles frames from TCP chunks, which split and coalesce frames arbitrarily.
 * Chunks are kept in a list and joined only when a whole frame is there, so a large
 * frame arriving in many chunks is copied once.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /**
   * The whole frames completed by this chunk, and the error that stopped decoding (the
   * frames before the bad one are good; nothing after it is read).
   */
  push(chunk: Buffer): { frames: Frame[]; error: FrameError | null } {
    const frames: Frame[] = [];
    if (this.failed) return { frames, error: new FrameError('connection already failed') };
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < 4) return { frames, error: null };
      const len = this.peek(4).readUInt32BE(0);
      if (len > MAX_FRAME) return this.fail(frames, `frame length ${len} exceeds ${MAX_FRAME}`);
      if (this.buffered < 4 + len) return { frames, error: null };
      const whole = this.take(4 + len);
      let obj: unknown;
      try {
        obj = JSON.parse(whole.toString('utf8', 4));
      } catch {
        return this.fail(frames, 'frame is not valid JSON');
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return this.fail(frames, 'frame is not a JSON object');
      frames.push({ obj, bytes: 4 + len });
    }
  }

  private failed = false;

  private fail(frames: Frame[], why: string): { frames: Frame[]; error: FrameError } {
    this.failed = true;
    this.chunks = [];
    this.buffered = 0;
    return { frames, error: new FrameError(why) };
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(n: number): Buffer {
    const first = this.peek(n);
    const whole = first.subarray(0, n);
    const rest = first.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered -= n;
    return whole;
  }
}

/**
 * Reads frames off a socket and hands each to `onFrame`, which returns false to refuse
 * it (a schema mismatch). A bad or refused frame closes the connection; the frames that
 * came before it in the same chunk were already handled, the ones after it never are.
 */
export function readFrames(socket: Socket, onFrame: (obj: unknown, bytes: number) => boolean, onBad?: (why: string) => void): void {
  const decoder = new FrameDecoder();
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    const { frames, error } = decoder.push(chunk);
    for (const f of frames) {
      if (closed) return;
      if (!onFrame(f.obj, f.bytes)) {
        closed = true;
        onBad?.('frame does not match the schema');
        socket.destroy();
        return;
      }
    }
    if (error !== null && !closed) {
      closed = true;
      onBad?.(error.message);
      socket.destroy();
    }
  });
}

export function writeFrame(socket: Socket, obj: unknown): number {
  const buf = encodeFrame(obj);
  if (!socket.destroyed) socket.write(buf);
  return buf.length;
}
