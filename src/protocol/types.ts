/**
 * Plain data of the protocol core. Everything is immutable and made of numbers so
 * that states are cheap to copy with structural sharing and to encode canonically.
 * Names of rules (R-…, P-…, H-…, F-…) refer to spec/replica.md, persistency.md, recovery.md.
 */
import type { MutantName } from '../mutants.ts';
import type { PersistencyModel } from './persistency/model.ts';
import type { RecoveryModel } from './recovery/model.ts';
import type { KeySet } from './key-set.ts';

/** Per-key states (spec/replica.md "The five states"). Numbers, because they sit on the hot path. */
export const VALID = 0;
export const INVALID = 1;
export const WRITE = 2;
export const INVALID_WRITE = 3;
export const REPLAY = 4;
export type KeyStatus = typeof VALID | typeof INVALID | typeof WRITE | typeof INVALID_WRITE | typeof REPLAY;
export const KEY_STATUS_NAMES = ['Valid', 'Invalid', 'Write', 'InvalidWrite', 'Replay'] as const;

/** Membership roles. DOWN is not a role of the view but keeps one field per node. */
export const DOWN = 0;
export const SHADOW = 1;
export const REPLICA = 2;
export type Role = typeof DOWN | typeof SHADOW | typeof REPLICA;
export const ROLE_NAMES = ['down', 'shadow', 'replica'] as const;

// The names are derived from the registries (persistency/index.ts, recovery/index.ts).
export type { Persistency } from './persistency/index.ts';
export type { Recovery } from './recovery/index.ts';

export interface KeyState {
  readonly value: number;
  /** Packed timestamp, see timestamp.ts. */
  readonly ts: number;
  readonly status: KeyStatus;
  readonly lastWriter: number;
  /** ts this node coordinates (own write or replay); 0 when none. */
  readonly wts: number;
  readonly wval: number;
  /** Bitmask of nodes that ACKed wts. */
  readonly acks: number;
  readonly wepoch: number;
  /** Read-Enforced: bitmask of nodes that PACKed wts, and the durable mark of ts. */
  readonly packs: number;
  readonly dmark: boolean;
  /** InvalidWrite only: the VAL for ts already arrived, so finishing the own write makes the key Valid. */
  readonly committed: boolean;
}

export interface Durable {
  readonly ts: number;
  readonly value: number;
  /** Strict only (else 0): apply sequence number of the persisted update, for PERSIST-ORDER-STRICT. */
  readonly seq: number;
}

export interface Persist {
  readonly key: number;
  readonly ts: number;
  readonly value: number;
  readonly seq: number;
}

/** Something a node must send once its durable store covers ts (P-SYNCH-ACK, P-RENF-PACK, P-SCOPE-RCV). */
export const OWED_ACK = 0;
export const OWED_PACK = 1;
export const OWED_SCOPE = 2;
export interface Owed {
  readonly kind: typeof OWED_ACK | typeof OWED_PACK | typeof OWED_SCOPE;
  readonly key: number;
  readonly ts: number;
  readonly to: number;
  readonly epoch: number;
}

/** Partially_persisted entry, latest per key (spec/recovery.md; see properties.md deviations). */
export interface PPEntry {
  readonly ts: number;
  readonly value: number;
  /** Bitmask of nodes where this ts (or newer) is known durable. */
  readonly conf: number;
}

export interface MUEntry {
  readonly ts: number;
  readonly value: number;
  readonly valid: boolean;
}

export interface MUBuffer {
  readonly frozen: boolean;
  readonly entries: readonly (MUEntry | null)[];
}

/** Recovery progress of a shadow (spec/recovery.md "Per recovering node"). */
export interface Recovering {
  readonly buddy: number;
  /** Members that have not yet sent START_ACK. */
  readonly startWait: number;
  /** Keys received from the current Buddy's stream (a mask: idempotent under duplicates). */
  readonly muKeys: KeySet;
  /** Count announced by MU_END of the current stream, -1 before it arrives. */
  readonly muEnd: number;
  /** Keys touched by an MU entry or an INV since the restart. */
  readonly touched: KeySet;
}

export const CLIENT_WRITE = 0;
export const CLIENT_SCOPE = 1;
export interface ClientOp {
  readonly kind: typeof CLIENT_WRITE | typeof CLIENT_SCOPE;
  /** write: the key; scope: unused (0). */
  readonly key: number;
  /** write: the ts of the write; scope: unused. */
  readonly ts: number;
  readonly value: number;
  /** scope: per key, members that have not yet answered SCOPE_ACK. */
  readonly waiting: readonly number[];
}

export interface NodeState {
  readonly role: Role;
  readonly incarnation: number;
  readonly keys: readonly KeyState[];
  readonly durable: readonly Durable[];
  readonly pending: readonly Persist[];
  readonly owed: readonly Owed[];
  readonly pp: readonly (PPEntry | null)[];
  /** Indexed by node id; null when no buffer for that node. */
  readonly mu: readonly (MUBuffer | null)[];
  readonly rec: Recovering | null;
  readonly client: ClientOp | null;
  /** Scope model: per key, the largest ts this node's client wrote in the current scope (0 none). */
  readonly scopeTs: readonly number[];
  /** Strict only: apply counter feeding Persist.seq (ghost-like, but also orders the FIFO). */
  readonly applySeq: number;
}

/** Message kinds (spec/messages.md). */
export const INV = 0;
export const ACK = 1;
export const VAL = 2;
export const PACK = 3;
export const PVAL = 4;
export const DURABLE = 5;
export const PERSIST_SCOPE = 6;
export const SCOPE_ACK = 7;
export const START_ACK = 8;
export const MU = 9;
export const MU_END = 10;
export type MsgType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export const MSG_NAMES = [
  'INV', 'ACK', 'VAL', 'PACK', 'PVAL', 'DURABLE', 'PERSIST_SCOPE', 'SCOPE_ACK', 'START_ACK', 'MU', 'MU_END',
] as const;

/**
 * One uniform shape for every message: all fields are plain values so sorting and
 * encoding need no per-kind code. A kind sets only the fields spec/messages.md lists for
 * it; the others are 0 (false). Each kind uses at most one of `value`/`durableAt` and one
 * of `epoch`/`count`, so the state encoding and the runtime's peer frame pack each pair
 * into one word (message-words.ts).
 */
export interface Msg {
  readonly type: MsgType;
  readonly from: number;
  readonly to: number;
  readonly key: number;
  readonly ts: number;
  /** INV, MU: the written value. */
  readonly value: number;
  /** INV, ACK, START_ACK: the epoch the message was sent in. */
  readonly epoch: number;
  /** PVAL: the nodes the sender knows to hold ts durably (W, finding F10), a node mask. */
  readonly durableAt: number;
  /** MU, MU_END: the number of entries of the Buddy's stream. */
  readonly count: number;
  /** MU: the entry was Valid in the Buddy's buffer. */
  readonly valid: boolean;
}

/** The fields of a message beyond its routing, key and ts; absent ones are 0 (false). */
export type MsgFields = Partial<Pick<Msg, 'value' | 'epoch' | 'durableAt' | 'count' | 'valid'>>;

/** What the surrounding cluster tells a node about the world for one step. */
export interface Ctx {
  readonly self: number;
  readonly nodes: number;
  readonly keyCount: number;
  readonly epoch: number;
  /** Bitmask of replicas and shadows of the current view. */
  readonly members: number;
  readonly replicas: number;
  /** The persistency model's hooks, resolved once per step by the cluster (persistency/). */
  readonly persistency: PersistencyModel;
  /** The recovery's hooks (recovery/). */
  readonly recovery: RecoveryModel;
  readonly mutant: MutantName | null;
  /**
   * Whether Partially_persisted bookkeeping is live. The cluster turns it off once the
   * crash budget is spent: PP only feeds H-SEED-MU at a failure, so it is dead state then.
   */
  readonly trackPP: boolean;
  /** Effects, appended by the step functions and consumed by the cluster. */
  readonly out: Effects;
}

export const REPLY_OK = 0;
export interface Reply {
  readonly f: 'write' | 'scope-end';
  readonly key: number;
  readonly value: number;
  /** write: the ts of the write that returned. */
  readonly ts: number;
}

export interface Effects {
  sends: Msg[];
  replies: Reply[];
}
