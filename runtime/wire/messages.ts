/**
 * The objects carried in frames (spec/runtime-protocol.md): client requests and
 * replies, peer frames, membership and control messages. Client, control and membership
 * frames are checked with zod; peer frames, which are the hot path, by hand.
 */
import { z } from 'zod';

const int = z.number().int().min(0);
/** Values are the model's numbers: integers a client makes unique per write, within 2^53. */
const value = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const id = z.number().int();

export const ClientRequest = z.discriminatedUnion('op', [
  z.object({ id, op: z.literal('write'), key: int, value }).strict(),
  z.object({ id, op: z.literal('read'), key: int }).strict(),
  z.object({ id, op: z.literal('scope-end') }).strict(),
  z.object({ id, op: z.literal('status') }).strict(),
]);
export type ClientRequest = z.infer<typeof ClientRequest>;

export type Refusal = 'unavailable' | 'busy' | 'bad-request';

export const ControlRequest = z.discriminatedUnion('op', [
  z.object({ id, op: z.literal('kill'), node: int }).strict(),
  z.object({ id, op: z.literal('restart'), node: int }).strict(),
  z.object({ id, op: z.literal('status') }).strict(),
  z.object({ id, op: z.literal('partition'), node: int, drop: z.boolean() }).strict(),
]);
export type ControlRequest = z.infer<typeof ControlRequest>;

export type Cause = 'init' | 'crash' | 'restart' | 'promote';

/**
 * A membership view. `holders[f]` (a node mask) are the members that hold a
 * Missed_updates buffer for the down or shadow node f (H-BUDDY); `buddy` is the Buddy
 * the restart view gives `node`; `reselect[g]` the new Buddy of a shadow g whose Buddy
 * was the crashed `node` (H-BUDDY-RESELECT).
 */
export const View = z
  .object({
    epoch: int,
    members: z.array(int),
    roles: z.record(z.string(), z.enum(['replica', 'shadow'])),
    cause: z.enum(['init', 'crash', 'restart', 'promote']),
    node: z.number().int().min(-1),
    wasShadow: z.boolean(),
    buddy: z.number().int().min(-1),
    holders: z.record(z.string(), int),
    reselect: z.record(z.string(), z.number().int().min(-1)),
  })
  .strict();
export type View = z.infer<typeof View>;

/** Node -> membership service. */
export const ToService = z.discriminatedUnion('kind', [
  /** boot: this process has not talked to the service before (a fresh start or a restart). */
  z.object({ kind: z.literal('hello'), node: int, boot: z.boolean(), epoch: z.number().int().min(-1) }).strict(),
  z.object({ kind: z.literal('hb'), node: int, t: z.number() }).strict(),
  /** The shadow `node` satisfies canPromote in view `epoch` and takes no step until the next view. */
  z.object({ kind: z.literal('ready'), node: int, epoch: int }).strict(),
]);
export type ToService = z.infer<typeof ToService>;

/** Membership service -> node. */
export const FromService = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('view'), view: View }).strict(),
  z.object({ kind: z.literal('hb-ack'), t: z.number() }).strict(),
  /** The node is not a member of the current view: it must stop (and is restarted). */
  z.object({ kind: z.literal('fenced'), epoch: int }).strict(),
]);
export type FromService = z.infer<typeof FromService>;

/**
 * A peer frame: the protocol message (the Msg fields, spec/messages.md) in an envelope
 * with the sender's epoch and incarnation; `pad` brings a carried value to valueBytes.
 * `stream` is a runtime frame, not a protocol message: a shadow asking its reselected
 * Buddy to stream (spec/runtime-protocol.md, "Buddy reselection").
 */
export interface PeerMsgFrame {
  readonly k: 'msg';
  readonly e: number;
  readonly inc: number;
  readonly m: readonly [number, number, number, number, number, number, number, number];
  readonly pad?: string;
}
export interface PeerHelloFrame {
  readonly k: 'hello';
  readonly from: number;
  readonly inc: number;
}
export interface PeerStreamFrame {
  readonly k: 'stream';
  readonly e: number;
  readonly from: number;
}
export type PeerFrame = PeerMsgFrame | PeerHelloFrame | PeerStreamFrame;

function isNat(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** The peer frame, or null when it does not match (the connection is then closed). */
export function parsePeerFrame(o: unknown, nodes: number, keys: number): PeerFrame | null {
  const f = o as Record<string, unknown>;
  if (f.k === 'hello') return isNat(f.from) && f.from < nodes && isNat(f.inc) ? (f as unknown as PeerHelloFrame) : null;
  if (f.k === 'stream') return isNat(f.e) && isNat(f.from) && f.from < nodes ? (f as unknown as PeerStreamFrame) : null;
  if (f.k !== 'msg' || !isNat(f.e) || !isNat(f.inc)) return null;
  const m = f.m;
  if (!Array.isArray(m) || m.length !== 8 || !m.every(isNat)) return null;
  if (m[0] > 10 || m[1] >= nodes || m[2] >= nodes || m[3] >= keys) return null;
  if (f.pad !== undefined && typeof f.pad !== 'string') return null;
  return f as unknown as PeerMsgFrame;
}
