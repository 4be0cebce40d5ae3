/** Readable renderings of packed states and actions, in the spec's vocabulary. */
import { match } from 'ts-pattern';
import type { HermesAction, HermesMessage } from './actions.ts';
import {
  ACKS,
  ALIVE,
  EPOCH,
  LAST_WRITER,
  LW_TIEBREAKER,
  LW_VERSION,
  MSG_ACK,
  MSG_INV,
  NODE_STATE_NAMES,
  STATE,
  TS_TIEBREAKER,
  TS_VERSION,
  WRITE_EPOCH,
  hasMessage,
  nodeBase,
  type HermesLayout,
} from './layout.ts';

function maskToIds(mask: number, nodes: number): number[] {
  const ids: number[] = [];
  for (let n = 0; n < nodes; n++) if ((mask & (1 << n)) !== 0) ids.push(n + 1);
  return ids;
}

function ts(version: number, tieBreaker: number): { version: number; tieBreaker: number } {
  return { version, tieBreaker: tieBreaker + 1 };
}

function messagesOf(layout: HermesLayout, s: Uint8Array): HermesMessage[] {
  const out: HermesMessage[] = [];
  for (const [type, code] of [['INV', MSG_INV], ['ACK', MSG_ACK]] as const) {
    for (let sender = 0; sender < layout.nodes; sender++) {
      for (let e = 0; e < layout.epochs; e++) {
        for (let v = 0; v < layout.versions; v++) {
          for (let tb = 0; tb < layout.nodes; tb++) {
            if (hasMessage(s, layout, layout.invAck(code, sender, e, v, tb))) {
              out.push({ type, sender: sender + 1, epochID: e, version: v, tieBreaker: tb + 1 });
            }
          }
        }
      }
    }
  }
  for (let v = 0; v < layout.versions; v++) {
    for (let tb = 0; tb < layout.nodes; tb++) {
      if (hasMessage(s, layout, layout.val(v, tb))) out.push({ type: 'VAL', version: v, tieBreaker: tb + 1 });
    }
  }
  return out;
}

/** The TLA+ variables by name, node-indexed functions as records keyed by node id. */
export function displayState(layout: HermesLayout, s: Uint8Array): Record<string, unknown> {
  const perNode = <T>(f: (b: number) => T): Record<number, T> => {
    const r: Record<number, T> = {};
    for (let n = 0; n < layout.nodes; n++) r[n + 1] = f(nodeBase(n));
    return r;
  };
  return {
    aliveNodes: maskToIds(s[ALIVE], layout.nodes),
    epochID: s[EPOCH],
    nodeState: perNode((b) => NODE_STATE_NAMES[s[b + STATE]] ?? `?${s[b + STATE]}`),
    nodeTS: perNode((b) => ts(s[b + TS_VERSION], s[b + TS_TIEBREAKER])),
    nodeLastWriteTS: perNode((b) => ts(s[b + LW_VERSION], s[b + LW_TIEBREAKER])),
    nodeLastWriter: perNode((b) => s[b + LAST_WRITER] + 1),
    nodeRcvedAcks: perNode((b) => maskToIds(s[b + ACKS], layout.nodes)),
    nodeWriteEpochID: perNode((b) => s[b + WRITE_EPOCH]),
    msgs: messagesOf(layout, s),
  };
}

function describeMessage(m: HermesMessage): string {
  return m.type === 'VAL'
    ? `VAL <<${m.version}, ${m.tieBreaker}>>`
    : `${m.type} from ${m.sender} epoch ${m.epochID} <<${m.version}, ${m.tieBreaker}>>`;
}

export function describeAction(a: HermesAction): string {
  return match(a)
    .with({ kind: 'HRcvInv' }, { kind: 'HRcvAck' }, { kind: 'HRcvVal' }, (x) => `${x.kind}(${x.node}) on ${describeMessage(x.msg)}`)
    .with(
      { kind: 'HRead' },
      { kind: 'HWrite' },
      { kind: 'HCoordWriteReplay' },
      { kind: 'HSendVals' },
      { kind: 'HFollowerWriteReplay' },
      { kind: 'nodeFailure' },
      (x) => `${x.kind}(${x.node})`,
    )
    .exhaustive();
}

/** Stable identity of an action: its kind, node and message fields in a fixed order. */
export function actionKey(a: HermesAction): string {
  if ('msg' in a) {
    const m = a.msg;
    return m.type === 'VAL'
      ? `${a.kind}:${a.node}:VAL:${m.version}:${m.tieBreaker}`
      : `${a.kind}:${a.node}:${m.type}:${m.sender}:${m.epochID}:${m.version}:${m.tieBreaker}`;
  }
  return `${a.kind}:${a.node}`;
}
