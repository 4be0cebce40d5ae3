/**
 * Frames as spec'd in the runtime contract: a 4-byte unsigned big-endian length L, then
 * L bytes of UTF-8 JSON holding one object. TCP delivers a byte stream, so one `data`
 * chunk may hold half a frame or several: the decoder keeps the remainder between chunks.
 * A frame too long, not JSON, or not an object is refused with a FrameError; the caller
 * closes the connection and applies nothing from it (what follows cannot be trusted to
 * start at a frame boundary).
 */

/** 16 MiB: larger than any message of the protocol; a length past it is corruption, not data. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

export type FrameObject = Record<string, unknown>;

export function encodeFrame(message: FrameObject): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  if (body.length > MAX_FRAME_BYTES) throw new FrameError(`frame of ${body.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failed = false;

  /** The complete frames this chunk finishes, in order. Throws FrameError on the first bad one, and for ever after. */
  push(chunk: Buffer): FrameObject[] {
    if (this.failed) throw new FrameError('the stream already held a bad frame');
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: FrameObject[] = [];
    if (this.pendingBytes < 4) return out;
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let at = 0;
    try {
      while (buf.length - at >= 4) {
        const length = buf.readUInt32BE(at);
        if (length > MAX_FRAME_BYTES) throw new FrameError(`frame length ${length} exceeds ${MAX_FRAME_BYTES} bytes`);
        if (buf.length - at - 4 < length) break;
        out.push(parseBody(buf.subarray(at + 4, at + 4 + length)));
        at += 4 + length;
      }
    } catch (e) {
      this.failed = true;
      this.pending = [];
      this.pendingBytes = 0;
      throw e;
    }
    buf = buf.subarray(at);
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
    return out;
  }

  /** Bytes of an unfinished frame held back: a stream that ends with some was cut mid-frame. */
  get buffered(): number {
    return this.pendingBytes;
  }
}

function parseBody(body: Buffer): FrameObject {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (e) {
    throw new FrameError(`frame is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FrameError(`frame holds ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}, expected one JSON object`);
  }
  return value as FrameObject;
}
