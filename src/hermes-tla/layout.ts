/**
 * The state of the Hermes TLA+ spec (ease-lab/Hermes, tla/Hermes.tla) packed into one
 * Uint8Array. The packed bytes are the canonical encoding: every TLA+ state has exactly
 * one byte string, so distinct byte strings are distinct TLA+ states and the explorer's
 * distinct-state count is TLC's.
 *
 * Node ids are the spec's 1..N; inside the bytes a node is stored as its index id-1.
 * The spec only compares ids with =, <= and >, which the shift preserves.
 *
 * Layout:
 *   [0] aliveNodes as a bitmask      [1] epochID      [2] message-type error flag   [3] 0
 *   per node, NODE_BYTES each: nodeTS.version, nodeTS.tieBreaker, nodeState,
 *     nodeRcvedAcks (bitmask), nodeLastWriter, nodeLastWriteTS.version,
 *     nodeLastWriteTS.tieBreaker, nodeWriteEpochID
 *   then msgs: a bitset over the finite universe HMessage (messages are only ever added,
 *   as in the spec, so a set of bits is exact).
 */

export interface HermesTlaConfig {
  /** |H_NODES|; nodes are 1..nodes. */
  readonly nodes: number;
  /** H_MAX_VERSION */
  readonly maxVersion: number;
}

/** nodeState values; the numbers are storage only, never compared for order. */
export const VALID = 0;
export const INVALID = 1;
export const INVALID_WRITE = 2;
export const WRITE = 3;
export const REPLAY = 4;
export const NODE_STATE_NAMES = ['valid', 'invalid', 'invalid_write', 'write', 'replay'] as const;

export const ALIVE = 0;
export const EPOCH = 1;
/** Set if a send would have produced a message outside HMessage (HTypeOK then fails). */
export const MSG_TYPE_ERROR = 2;
const HEADER_BYTES = 4;

const NODE_BYTES = 8;
export const TS_VERSION = 0;
export const TS_TIEBREAKER = 1;
export const STATE = 2;
export const ACKS = 3;
export const LAST_WRITER = 4;
export const LW_VERSION = 5;
export const LW_TIEBREAKER = 6;
export const WRITE_EPOCH = 7;

export const MSG_INV = 0;
export const MSG_ACK = 1;

/** Derived sizes and the message-universe numbering for one configuration. */
export class HermesLayout {
  readonly nodes: number;
  readonly maxVersion: number;
  /** epochID ranges over 0..Cardinality(H_NODES)-1 */
  readonly epochs: number;
  readonly versions: number;
  /** Number of INV and ACK messages together; VAL messages are numbered after them. */
  readonly invAckCount: number;
  readonly messageCount: number;
  readonly msgOffset: number;
  readonly bytes: number;
  readonly allNodesMask: number;

  constructor(config: HermesTlaConfig) {
    const { nodes, maxVersion } = config;
    // Node sets are one-byte bitmasks.
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 8) {
      throw new RangeError(`hermes-tla: nodes must be an integer from 1 to 8, got ${nodes}`);
    }
    if (!Number.isInteger(maxVersion) || maxVersion < 0 || maxVersion > 250) {
      throw new RangeError(`hermes-tla: maxVersion must be an integer from 0 to 250, got ${maxVersion}`);
    }
    this.nodes = nodes;
    this.maxVersion = maxVersion;
    this.epochs = nodes;
    this.versions = maxVersion + 1;
    this.invAckCount = 2 * nodes * this.epochs * this.versions * nodes;
    this.messageCount = this.invAckCount + this.versions * nodes;
    this.msgOffset = HEADER_BYTES + nodes * NODE_BYTES;
    this.bytes = this.msgOffset + ((this.messageCount + 7) >>> 3);
    this.allNodesMask = (1 << nodes) - 1;
  }

  /** Bit number of [type |-> INV/ACK, sender, epochID, version, tieBreaker]. */
  invAck(type: number, sender: number, epoch: number, version: number, tieBreaker: number): number {
    return (((type * this.nodes + sender) * this.epochs + epoch) * this.versions + version) * this.nodes + tieBreaker;
  }

  /** Bit number of [type |-> VAL, version, tieBreaker]. */
  val(version: number, tieBreaker: number): number {
    return this.invAckCount + version * this.nodes + tieBreaker;
  }

  inRange(epoch: number, version: number, tieBreaker: number): boolean {
    return epoch < this.epochs && version < this.versions && tieBreaker < this.nodes;
  }
}

export function nodeBase(n: number): number {
  return HEADER_BYTES + n * NODE_BYTES;
}

export function hasMessage(s: Uint8Array, layout: HermesLayout, bit: number): boolean {
  return (s[layout.msgOffset + (bit >>> 3)] & (1 << (bit & 7))) !== 0;
}

export function addMessage(s: Uint8Array, layout: HermesLayout, bit: number): void {
  s[layout.msgOffset + (bit >>> 3)] |= 1 << (bit & 7);
}

export function popcount8(x: number): number {
  x = x - ((x >>> 1) & 0x55);
  x = (x & 0x33) + ((x >>> 2) & 0x33);
  return (x + (x >>> 4)) & 0x0f;
}
