/**
 * A node's connection to the membership service: hello, heartbeats every
 * `heartbeatMs`, and whatever the service sends back. Reconnects when the service
 * restarts; the hello then says the process is the same one (boot: false), so the
 * service resends the views it missed instead of treating it as restarted.
 */
import { connect, type Socket } from 'node:net';
import { readFrames, writeFrame } from '../wire/frames.ts';
import { FromService, type ToService } from '../wire/messages.ts';
import type { Addr } from './peers.ts';

export interface ServiceLink {
  send(m: ToService): void;
  /** While muted (this node is partitioned away) no heartbeat goes out, so its lease runs out. */
  mute(muted: boolean): void;
  close(): void;
}

interface Hooks {
  epoch(): number;
  onMessage(m: FromService): void;
  onTick(): void;
}

export function connectService(addr: Addr, node: number, heartbeatMs: number, hooks: Hooks): ServiceLink {
  let sock: Socket | null = null;
  let up = false;
  let boot = true;
  let closed = false;
  let muted = false;
  let helloDue = false;
  // A muted (partitioned) node does not even say hello: it must not be admitted either.
  const hello = () => {
    if (!up || sock === null || muted || !helloDue) return;
    writeFrame(sock, { kind: 'hello', node, boot, epoch: hooks.epoch() } satisfies ToService);
    helloDue = false;
    boot = false;
  };
  const dial = () => {
    if (closed) return;
    const s = connect({ host: addr.host, port: addr.port });
    s.setNoDelay(true);
    sock = s;
    s.on('connect', () => {
      up = true;
      helloDue = true;
      hello();
    });
    s.on('error', () => {});
    s.on('close', () => {
      up = false;
      sock = null;
      if (!closed) setTimeout(dial, 50).unref();
    });
    readFrames(s, (obj) => {
      const r = FromService.safeParse(obj);
      if (!r.success) return false;
      hooks.onMessage(r.data);
      return true;
    });
  };
  dial();
  const timer = setInterval(() => {
    if (muted || helloDue) return;
    if (up && sock !== null) writeFrame(sock, { kind: 'hb', node, t: performance.now() } satisfies ToService);
    hooks.onTick();
  }, heartbeatMs);
  return {
    send(m) {
      if (up && sock !== null && !muted) writeFrame(sock, m);
    },
    mute(m) {
      muted = m;
      hello();
    },
    close() {
      closed = true;
      clearInterval(timer);
      sock?.destroy();
    },
  };
}
