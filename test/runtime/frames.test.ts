import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer, type Socket } from 'node:net';
import { FrameDecoder, FrameError, MAX_FRAME_BYTES, encodeFrame } from '../../runtime/client/frames.ts';
import { Connection, ConnectionLost } from '../../runtime/client/connection.ts';

const header = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

describe('frame decoder', () => {
  it('gives back the same objects however the stream is cut into chunks (split and coalesced)', () => {
    const message = fc.record({ id: fc.nat(), op: fc.constantFrom('read', 'write'), key: fc.nat(), value: fc.maxSafeNat(), note: fc.string() });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map(encodeFrame));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const decoder = new FrameDecoder();
        const got: unknown[] = [];
        let from = 0;
        for (const p of [...points, stream.length]) {
          got.push(...decoder.push(stream.subarray(from, p)));
          from = p;
        }
        expect(got).toEqual(messages);
        expect(decoder.buffered).toBe(0);
      }),
    );
  });

  it('holds back half a frame until the rest arrives, even a split header', () => {
    const frame = encodeFrame({ id: 1, ok: true });
    const d = new FrameDecoder();
    expect(d.push(frame.subarray(0, 2))).toEqual([]);
    expect(d.push(frame.subarray(2, 7))).toEqual([]);
    expect(d.buffered).toBe(7);
    expect(d.push(frame.subarray(7))).toEqual([{ id: 1, ok: true }]);
  });

  it('refuses a length over 16 MiB from the header alone, before any body arrives', () => {
    const d = new FrameDecoder();
    expect(() => d.push(header(MAX_FRAME_BYTES + 1))).toThrow(FrameError);
    // After a bad frame the stream has no trustworthy boundary: everything after is refused too.
    expect(() => d.push(encodeFrame({ id: 1 }))).toThrow(FrameError);
  });

  it.each([
    ['not JSON', Buffer.from('{"id":')],
    ['an array', Buffer.from('[1,2]')],
    ['a number', Buffer.from('7')],
    ['null', Buffer.from('null')],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
  ])('refuses a body that is %s, and returns none of the frames of that chunk', (_name, body) => {
    const d = new FrameDecoder();
    const chunk = Buffer.concat([encodeFrame({ id: 1 }), header(body.length), body]);
    expect(() => d.push(chunk)).toThrow(FrameError);
  });

  it('accepts a frame of exactly the maximum length header-wise (waits for its body)', () => {
    const d = new FrameDecoder();
    expect(d.push(header(MAX_FRAME_BYTES))).toEqual([]);
  });
});

describe('client connection', () => {
  /** A server that answers with whatever bytes `respond` returns for each request frame. */
  async function server(respond: (req: Record<string, unknown>, s: Socket) => void) {
    const srv = createServer((s) => {
      const d = new FrameDecoder();
      s.on('data', (c: Buffer) => d.push(c).forEach((f) => respond(f, s)));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return { srv, port: (srv.address() as { port: number }).port };
  }

  it('matches replies that come out of order and coalesced in one chunk to their requests', async () => {
    const held: Record<string, unknown>[] = [];
    const { srv, port } = await server((req, s) => {
      held.push(req);
      if (held.length === 2) s.write(Buffer.concat([encodeFrame({ id: held[1]!.id as number, ok: true, value: 2 }), encodeFrame({ id: held[0]!.id as number, ok: true, value: 1 })]));
    });
    const c = await Connection.open('127.0.0.1', port);
    const [a, b] = await Promise.all([c.request({ op: 'read', key: 1 }), c.request({ op: 'read', key: 2 })]);
    expect([a.value, b.value]).toEqual([1, 2]);
    c.close();
    srv.close();
  });

  it('closes the connection on a malformed reply and fails every pending request as lost', async () => {
    const { srv, port } = await server((_req, s) => s.write(Buffer.concat([header(3), Buffer.from('{x}')])));
    const c = await Connection.open('127.0.0.1', port);
    await expect(c.request({ op: 'read', key: 1 })).rejects.toBeInstanceOf(ConnectionLost);
    expect(c.alive).toBe(false);
    srv.close();
  });

  it('closes the connection on a reply that is JSON but not a reply (no id)', async () => {
    const { srv, port } = await server((_req, s) => s.write(encodeFrame({ ok: true })));
    const c = await Connection.open('127.0.0.1', port);
    await expect(c.request({ op: 'read', key: 1 })).rejects.toBeInstanceOf(ConnectionLost);
    srv.close();
  });
});
