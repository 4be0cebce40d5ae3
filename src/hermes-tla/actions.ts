/**
 * HInit and HNext of Hermes.tla at ease-lab/Hermes 949229c ("added an ACK reset that was
 * missing after membership change": nodeFailure(n) also sets nodeRcvedAcks' to {} for
 * every node), one function per named action with its guard first.
 * Actions are plain JSON data in the spec's own terms (node ids 1..N, messages as
 * records), so a saved trace reads like a TLC error trace.
 */
import {
  ACKS,
  ALIVE,
  EPOCH,
  INVALID,
  INVALID_WRITE,
  LAST_WRITER,
  LW_TIEBREAKER,
  LW_VERSION,
  MSG_ACK,
  MSG_INV,
  MSG_TYPE_ERROR,
  REPLAY,
  STATE,
  TS_TIEBREAKER,
  TS_VERSION,
  VALID,
  WRITE,
  WRITE_EPOCH,
  addMessage,
  hasMessage,
  nodeBase,
  popcount8,
  type HermesLayout,
} from './layout.ts';

export interface InvAckMessage {
  readonly type: 'INV' | 'ACK';
  readonly sender: number;
  readonly epochID: number;
  readonly version: number;
  readonly tieBreaker: number;
}

export interface ValMessage {
  readonly type: 'VAL';
  readonly version: number;
  readonly tieBreaker: number;
}

export type HermesMessage = InvAckMessage | ValMessage;

/** One instance of a disjunct of HNext: `node` is the n of `\E n \in aliveNodes`. */
export type HermesAction =
  | { readonly kind: 'HRead'; readonly node: number }
  | { readonly kind: 'HWrite'; readonly node: number }
  | { readonly kind: 'HCoordWriteReplay'; readonly node: number }
  | { readonly kind: 'HRcvAck'; readonly node: number; readonly msg: InvAckMessage }
  | { readonly kind: 'HSendVals'; readonly node: number }
  | { readonly kind: 'HRcvInv'; readonly node: number; readonly msg: InvAckMessage }
  | { readonly kind: 'HRcvVal'; readonly node: number; readonly msg: ValMessage }
  | { readonly kind: 'HFollowerWriteReplay'; readonly node: number }
  | { readonly kind: 'nodeFailure'; readonly node: number };

export function initialState(layout: HermesLayout): Uint8Array {
  const s = new Uint8Array(layout.bytes);
  s[ALIVE] = layout.allNodesMask;
  s[EPOCH] = 0;
  // CHOOSE k \in H_NODES: \A m \in H_NODES: k <= m  -- the smallest id, index 0.
  const minNode = 0;
  for (let n = 0; n < layout.nodes; n++) {
    const b = nodeBase(n);
    s[b + TS_VERSION] = 0;
    s[b + TS_TIEBREAKER] = minNode;
    s[b + STATE] = VALID;
    s[b + ACKS] = 0;
    s[b + LAST_WRITER] = minNode;
    s[b + LW_VERSION] = 0;
    s[b + LW_TIEBREAKER] = minNode;
    s[b + WRITE_EPOCH] = 0;
  }
  return s;
}

function isAlive(s: Uint8Array, n: number): boolean {
  return (s[ALIVE] & (1 << n)) !== 0;
}

/** receivedAllAcks(n) == (aliveNodes \ {n}) \subseteq nodeRcvedAcks[n] */
function receivedAllAcks(s: Uint8Array, n: number): boolean {
  return (s[ALIVE] & ~(1 << n) & ~s[nodeBase(n) + ACKS]) === 0;
}

/** greaterTS(v1, tb1, v2, tb2) */
function greaterTS(v1: number, tb1: number, v2: number, tb2: number): boolean {
  return v1 > v2 || (v1 === v2 && tb1 > tb2);
}

/**
 * Action values are immutable and drawn from a small finite set (each kind x node x
 * message), so they are built once per layout and shared: enumerating actions then
 * allocates only the array, not an object per action, on a path taken millions of times.
 */
class ActionCache {
  readonly simple: Record<'HRead' | 'HWrite' | 'HCoordWriteReplay' | 'HSendVals' | 'HFollowerWriteReplay' | 'nodeFailure', HermesAction[]>;
  /** [node index][message bit] */
  readonly receive: HermesAction[][];

  constructor(layout: HermesLayout) {
    const N = layout.nodes;
    const per = (kind: keyof ActionCache['simple']) => Array.from({ length: N }, (_, n) => ({ kind, node: n + 1 }) as HermesAction);
    this.simple = {
      HRead: per('HRead'),
      HWrite: per('HWrite'),
      HCoordWriteReplay: per('HCoordWriteReplay'),
      HSendVals: per('HSendVals'),
      HFollowerWriteReplay: per('HFollowerWriteReplay'),
      nodeFailure: per('nodeFailure'),
    };
    this.receive = Array.from({ length: N }, () => new Array<HermesAction>(layout.messageCount));
    for (let n = 0; n < N; n++) {
      const node = n + 1;
      for (let sender = 0; sender < N; sender++) {
        for (let e = 0; e < layout.epochs; e++) {
          for (let v = 0; v < layout.versions; v++) {
            for (let tb = 0; tb < N; tb++) {
              const fields = { sender: sender + 1, epochID: e, version: v, tieBreaker: tb + 1 };
              this.receive[n][layout.invAck(MSG_INV, sender, e, v, tb)] = { kind: 'HRcvInv', node, msg: { type: 'INV', ...fields } };
              this.receive[n][layout.invAck(MSG_ACK, sender, e, v, tb)] = { kind: 'HRcvAck', node, msg: { type: 'ACK', ...fields } };
            }
          }
        }
      }
      for (let v = 0; v < layout.versions; v++) {
        for (let tb = 0; tb < N; tb++) {
          this.receive[n][layout.val(v, tb)] = { kind: 'HRcvVal', node, msg: { type: 'VAL', version: v, tieBreaker: tb + 1 } };
        }
      }
    }
  }
}

const caches = new WeakMap<HermesLayout, ActionCache>();

function cacheFor(layout: HermesLayout): ActionCache {
  let cache = caches.get(layout);
  if (cache === undefined) {
    cache = new ActionCache(layout);
    caches.set(layout, cache);
  }
  return cache;
}

/**
 * Every successor-producing instance of HNext in `s`, in a fixed order: for each alive
 * n ascending, HFollowerActions(n), then HCoordinatorActions(n), then nodeFailure(n).
 * Each message that satisfies an `\E m \in msgs` guard is its own instance, as in TLC.
 */
export function enabledActions(layout: HermesLayout, s: Uint8Array): HermesAction[] {
  const out: HermesAction[] = [];
  const N = layout.nodes;
  const epoch = s[EPOCH];
  const { simple, receive } = cacheFor(layout);
  for (let n = 0; n < N; n++) {
    if (!isAlive(s, n)) continue;
    const b = nodeBase(n);
    const state = s[b + STATE];

    // HRcvInv(n): every INV of the current epoch from another sender (alive or not).
    if (epoch < layout.epochs) {
      for (let sender = 0; sender < N; sender++) {
        if (sender === n) continue;
        for (let v = 0; v < layout.versions; v++) {
          for (let tb = 0; tb < N; tb++) {
            const bit = layout.invAck(MSG_INV, sender, epoch, v, tb);
            if (hasMessage(s, layout, bit)) out.push(receive[n][bit]);
          }
        }
      }
    }
    // HFollowerWriteReplay(n)
    if ((state === INVALID || state === INVALID_WRITE) && !isAlive(s, s[b + LAST_WRITER])) {
      out.push(simple.HFollowerWriteReplay[n]);
    }
    // HRcvVal(n): only the VAL equal to nodeTS[n] can match.
    if (state !== VALID) {
      const v = s[b + TS_VERSION];
      const tb = s[b + TS_TIEBREAKER];
      if (layout.inRange(0, v, tb) && hasMessage(s, layout, layout.val(v, tb))) out.push(receive[n][layout.val(v, tb)]);
    }

    // HRead(n): a stuttering step, still one generated successor for TLC.
    if (state === VALID) out.push(simple.HRead[n]);
    // HCoordWriteReplay(n)
    if ((state === WRITE || state === REPLAY) && s[b + WRITE_EPOCH] < epoch && !receivedAllAcks(s, n)) {
      out.push(simple.HCoordWriteReplay[n]);
    }
    // HWrite(n)
    if (state === VALID && s[b + TS_VERSION] < layout.maxVersion) out.push(simple.HWrite[n]);
    // HRcvAck(n): an ACK of the current epoch for nodeLastWriteTS[n] from each sender not yet counted.
    if (state === WRITE || state === INVALID_WRITE || state === REPLAY) {
      const v = s[b + LW_VERSION];
      const tb = s[b + LW_TIEBREAKER];
      const acks = s[b + ACKS];
      if (layout.inRange(epoch, v, tb)) {
        for (let sender = 0; sender < N; sender++) {
          if (sender === n || (acks & (1 << sender)) !== 0) continue;
          const bit = layout.invAck(MSG_ACK, sender, epoch, v, tb);
          if (hasMessage(s, layout, bit)) out.push(receive[n][bit]);
        }
      }
    }
    // HSendVals(n)
    if ((state === WRITE || state === REPLAY) && receivedAllAcks(s, n)) out.push(simple.HSendVals[n]);

    // nodeFailure(n): keep at least 3 alive nodes before killing one.
    if (popcount8(s[ALIVE]) > 2) out.push(simple.nodeFailure[n]);
  }
  return out;
}

/** send(m) == msgs' = msgs \union {m}; a message outside HMessage is flagged for HTypeOK. */
function sendInvAck(layout: HermesLayout, t: Uint8Array, type: number, sender: number, epoch: number, v: number, tb: number): void {
  if (layout.inRange(epoch, v, tb)) addMessage(t, layout, layout.invAck(type, sender, epoch, v, tb));
  else t[MSG_TYPE_ERROR] = 1;
}

function sendVal(layout: HermesLayout, t: Uint8Array, v: number, tb: number): void {
  if (layout.inRange(0, v, tb)) addMessage(t, layout, layout.val(v, tb));
  else t[MSG_TYPE_ERROR] = 1;
}

/** h_actions_for_upd(n, newVersion, newTieBreaker, newState, newAcks) */
function updateAndSendInv(layout: HermesLayout, t: Uint8Array, n: number, version: number, tieBreaker: number, state: number, acks: number): void {
  const b = nodeBase(n);
  t[b + LAST_WRITER] = n;
  t[b + ACKS] = acks;
  t[b + STATE] = state;
  t[b + WRITE_EPOCH] = t[EPOCH];
  t[b + TS_VERSION] = version;
  t[b + TS_TIEBREAKER] = tieBreaker;
  t[b + LW_VERSION] = version;
  t[b + LW_TIEBREAKER] = tieBreaker;
  sendInvAck(layout, t, MSG_INV, n, t[EPOCH], version, tieBreaker);
}

/**
 * The successor of `s` under `a`. Assumes `a` came from enabledActions(s) (replay checks
 * that separately); never mutates `s`.
 */
export function applyAction(layout: HermesLayout, s: Uint8Array, a: HermesAction): Uint8Array {
  const t = s.slice();
  const n = a.node - 1;
  const b = nodeBase(n);
  // A plain switch with a never check: this runs once per generated state (millions).
  switch (a.kind) {
    case 'HRead':
      return t;
    case 'HWrite':
      updateAndSendInv(layout, t, n, s[b + TS_VERSION] + 1, n, WRITE, 0);
      return t;
    case 'HCoordWriteReplay':
      updateAndSendInv(layout, t, n, s[b + TS_VERSION], s[b + TS_TIEBREAKER], REPLAY, s[b + ACKS]);
      return t;
    case 'HFollowerWriteReplay':
      updateAndSendInv(layout, t, n, s[b + TS_VERSION], s[b + TS_TIEBREAKER], REPLAY, 0);
      return t;
    case 'HRcvAck':
      t[b + ACKS] |= 1 << (a.msg.sender - 1);
      return t;
    case 'HSendVals':
      t[b + STATE] = VALID;
      sendVal(layout, t, s[b + TS_VERSION], s[b + TS_TIEBREAKER]);
      return t;
    case 'HRcvInv': {
      const m = a.msg;
      const mv = m.version;
      const mtb = m.tieBreaker - 1;
      // Always acknowledge, whatever the timestamp.
      sendInvAck(layout, t, MSG_ACK, n, s[EPOCH], mv, mtb);
      if (greaterTS(mv, mtb, s[b + TS_VERSION], s[b + TS_TIEBREAKER])) {
        t[b + LAST_WRITER] = m.sender - 1;
        t[b + TS_VERSION] = mv;
        t[b + TS_TIEBREAKER] = mtb;
        const state = s[b + STATE];
        t[b + STATE] = state === VALID || state === INVALID || state === REPLAY ? INVALID : INVALID_WRITE;
      }
      return t;
    }
    case 'HRcvVal':
      t[b + STATE] = VALID;
      return t;
    case 'nodeFailure':
      // 949229c: a membership change voids every ack gathered so far, at every node.
      for (let k = 0; k < layout.nodes; k++) t[nodeBase(k) + ACKS] = 0;
      t[ALIVE] = s[ALIVE] & ~(1 << n);
      t[EPOCH] = s[EPOCH] + 1;
      return t;
    default: {
      const unreachable: never = a;
      throw new Error(`hermes-tla: unknown action ${JSON.stringify(unreachable)}`);
    }
  }
}
