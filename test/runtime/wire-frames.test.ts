/**
 * Frames on real sockets: split and coalesced across TCP chunks they decode to the same
 * objects; an oversized, unparsable or schema-breaking frame closes the connection and
 * nothing of it is applied.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_FRAME, encodeFrame, readFrames } from '../../runtime/wire/frames.ts';
import { ClientRequest } from '../../runtime/wire/messages.ts';

describe('FrameDecoder', () => {
  it('decodes any split of a stream of frames into the same objects, in order', () => {
    const obj = fc.record({ id: fc.integer(), s: fc.string(), a: fc.array(fc.integer(), { maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(obj, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), (objs, cuts) => {
        const stream = Buffer.concat(objs.map((o) => encodeFrame(o)));
        const dec = new FrameDecoder();
        const got: unknown[] = [];
        let p = 0;
        for (let i = 0; p < stream.length; i++) {
          const n = cuts[i % cuts.length]!;
          const r = dec.push(stream.subarray(p, p + n));
          expect(r.error).toBeNull();
          got.push(...r.frames.map((f) => f.obj));
          p += n;
        }
        expect(got).toEqual(objs);
      }),
    );
  });

  it('refuses a length above 16 MiB before reading the body', () => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_FRAME + 1, 0);
    expect(new FrameDecoder().push(head).error?.message).toMatch(/exceeds/);
  });

  it('hands on the good frames before a bad one and nothing after it', () => {
    const bad = Buffer.from([0, 0, 0, 3, 0x7b, 0x7b, 0x7b]);
    const r = new FrameDecoder().push(Buffer.concat([encodeFrame({ a: 1 }), bad, encodeFrame({ a: 2 })]));
    expect(r.frames.map((f) => f.obj)).toEqual([{ a: 1 }]);
    expect(r.error?.message).toMatch(/not valid JSON/);
  });
});

describe('frames over TCP', () => {
  let server: Server;
  let port: number;
  const applied: unknown[] = [];
  const closedBy: string[] = [];

  beforeAll(async () => {
    server = createServer((s) => {
      readFrames(s, (obj) => {
        const r = ClientRequest.safeParse(obj);
        if (!r.success) return false;
        applied.push(r.data);
        s.write(encodeFrame({ id: r.data.id, ok: true }));
        return true;
      }, (why) => closedBy.push(why));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  function open(): Promise<Socket> {
    return new Promise((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
      s.setNoDelay(true);
    });
  }

  function closed(s: Socket): Promise<void> {
    return new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())));
  }

  it('a frame written byte by byte, and three frames in one write, are each applied once', async () => {
    applied.length = 0;
    const s = await open();
    const replies: unknown[] = [];
    readFrames(s, (o) => (replies.push(o), true));
    const one = encodeFrame({ id: 1, op: 'read', key: 1 });
    for (const b of one) {
      s.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    s.write(Buffer.concat([encodeFrame({ id: 2, op: 'read', key: 2 }), encodeFrame({ id: 3, op: 'status' }), encodeFrame({ id: 4, op: 'read', key: 4 })]));
    await new Promise<void>((r) => {
      const t = setInterval(() => replies.length === 4 && (clearInterval(t), r()), 5);
    });
    expect(applied.map((a) => (a as { id: number }).id)).toEqual([1, 2, 3, 4]);
    s.destroy();
  });

  it.each([
    ['unparsable JSON', Buffer.from([0, 0, 0, 2, 0x7b, 0x22])],
    ['a length above 16 MiB', Buffer.from([0x01, 0x00, 0x00, 0x01])],
    ['a frame that is not an object', encodeFrame([1, 2])],
    ['a request that breaks the schema', encodeFrame({ id: 9, op: 'write', key: -1, value: 3 })],
  ])('%s closes the connection and applies nothing', async (_, bad) => {
    applied.length = 0;
    const s = await open();
    s.on('error', () => {});
    // The request after the bad frame, in the same write, must not be applied either.
    s.write(Buffer.concat([bad, encodeFrame({ id: 10, op: 'read', key: 0 })]));
    await closed(s);
    expect(applied).toEqual([]);
    expect(closedBy.length).toBeGreaterThan(0);
  });
});
