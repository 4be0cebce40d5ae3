/**
 * An independent, deliberately naive reading of Hermes.tla (ease-lab/Hermes 949229c) for
 * cross-checking the packed port: TLA+ values as plain objects, sets as sorted arrays, every
 * action written out from the spec text with no shared code. Slow, but simple enough to check by eye.
 */

interface Ts {
  version: number;
  tieBreaker: number;
}
type Msg =
  | { type: 'INV' | 'ACK'; sender: number; epochID: number; version: number; tieBreaker: number }
  | { type: 'VAL'; version: number; tieBreaker: number };

export interface RefState {
  msgs: Msg[];
  nodeTS: Record<number, Ts>;
  nodeState: Record<number, string>;
  nodeRcvedAcks: Record<number, number[]>;
  nodeLastWriter: Record<number, number>;
  nodeLastWriteTS: Record<number, Ts>;
  nodeWriteEpochID: Record<number, number>;
  aliveNodes: number[];
  epochID: number;
}

const msgKey = (m: Msg) => JSON.stringify(m.type === 'VAL' ? [m.type, m.version, m.tieBreaker] : [m.type, m.sender, m.epochID, m.version, m.tieBreaker]);

function stateKey(s: RefState): string {
  return JSON.stringify([
    s.msgs.map(msgKey).sort(),
    s.nodeTS,
    s.nodeState,
    s.nodeRcvedAcks,
    s.nodeLastWriter,
    s.nodeLastWriteTS,
    s.nodeWriteEpochID,
    s.aliveNodes,
    s.epochID,
  ]);
}

const clone = (s: RefState): RefState => JSON.parse(JSON.stringify(s)) as RefState;
const send = (s: RefState, m: Msg) => {
  if (!s.msgs.some((x) => msgKey(x) === msgKey(m))) s.msgs.push(m);
};
const greaterTS = (v1: number, tb1: number, v2: number, tb2: number) => v1 > v2 || (v1 === v2 && tb1 > tb2);

function refInit(nodes: number): RefState {
  const ids = Array.from({ length: nodes }, (_, i) => i + 1);
  const min = Math.min(...ids);
  const per = <T>(f: () => T) => Object.fromEntries(ids.map((n) => [n, f()])) as Record<number, T>;
  return {
    msgs: [],
    nodeTS: per(() => ({ version: 0, tieBreaker: min })),
    nodeState: per(() => 'valid'),
    nodeRcvedAcks: per(() => []),
    nodeLastWriter: per(() => min),
    nodeLastWriteTS: per(() => ({ version: 0, tieBreaker: min })),
    nodeWriteEpochID: per(() => 0),
    aliveNodes: ids,
    epochID: 0,
  };
}

function receivedAllAcks(s: RefState, n: number): boolean {
  return s.aliveNodes.filter((k) => k !== n).every((k) => s.nodeRcvedAcks[n].includes(k));
}

function actionsForUpd(s: RefState, n: number, version: number, tieBreaker: number, state: string, acks: number[]): RefState {
  const t = clone(s);
  t.nodeLastWriter[n] = n;
  t.nodeRcvedAcks[n] = [...acks].sort((a, b) => a - b);
  t.nodeState[n] = state;
  t.nodeWriteEpochID[n] = s.epochID;
  t.nodeTS[n] = { version, tieBreaker };
  t.nodeLastWriteTS[n] = { version, tieBreaker };
  send(t, { type: 'INV', sender: n, epochID: s.epochID, version, tieBreaker });
  return t;
}

/** Every successor, one per action instance (duplicates included, as TLC generates them). */
function refSuccessors(s: RefState, maxVersion: number): RefState[] {
  const out: RefState[] = [];
  for (const n of s.aliveNodes) {
    // HRcvInv
    for (const m of s.msgs) {
      if (m.type !== 'INV' || m.epochID !== s.epochID || m.sender === n) continue;
      const t = clone(s);
      send(t, { type: 'ACK', sender: n, epochID: s.epochID, version: m.version, tieBreaker: m.tieBreaker });
      if (greaterTS(m.version, m.tieBreaker, s.nodeTS[n].version, s.nodeTS[n].tieBreaker)) {
        t.nodeLastWriter[n] = m.sender;
        t.nodeTS[n] = { version: m.version, tieBreaker: m.tieBreaker };
        t.nodeState[n] = ['valid', 'invalid', 'replay'].includes(s.nodeState[n]) ? 'invalid' : 'invalid_write';
      }
      out.push(t);
    }
    // HFollowerWriteReplay
    if (['invalid', 'invalid_write'].includes(s.nodeState[n]) && !s.aliveNodes.includes(s.nodeLastWriter[n])) {
      out.push(actionsForUpd(s, n, s.nodeTS[n].version, s.nodeTS[n].tieBreaker, 'replay', []));
    }
    // HRcvVal
    for (const m of s.msgs) {
      if (s.nodeState[n] === 'valid' || m.type !== 'VAL') continue;
      if (m.version !== s.nodeTS[n].version || m.tieBreaker !== s.nodeTS[n].tieBreaker) continue;
      const t = clone(s);
      t.nodeState[n] = 'valid';
      out.push(t);
    }
    // HRead
    if (s.nodeState[n] === 'valid') out.push(clone(s));
    // HCoordWriteReplay
    if (['write', 'replay'].includes(s.nodeState[n]) && s.nodeWriteEpochID[n] < s.epochID && !receivedAllAcks(s, n)) {
      out.push(actionsForUpd(s, n, s.nodeTS[n].version, s.nodeTS[n].tieBreaker, 'replay', s.nodeRcvedAcks[n]));
    }
    // HWrite
    if (s.nodeState[n] === 'valid' && s.nodeTS[n].version < maxVersion) {
      out.push(actionsForUpd(s, n, s.nodeTS[n].version + 1, n, 'write', []));
    }
    // HRcvAck
    for (const m of s.msgs) {
      if (m.type !== 'ACK' || m.epochID !== s.epochID || m.sender === n || s.nodeRcvedAcks[n].includes(m.sender)) continue;
      if (m.version !== s.nodeLastWriteTS[n].version || m.tieBreaker !== s.nodeLastWriteTS[n].tieBreaker) continue;
      if (!['write', 'invalid_write', 'replay'].includes(s.nodeState[n])) continue;
      const t = clone(s);
      t.nodeRcvedAcks[n] = [...s.nodeRcvedAcks[n], m.sender].sort((a, b) => a - b);
      out.push(t);
    }
    // HSendVals
    if (['write', 'replay'].includes(s.nodeState[n]) && receivedAllAcks(s, n)) {
      const t = clone(s);
      t.nodeState[n] = 'valid';
      send(t, { type: 'VAL', version: s.nodeTS[n].version, tieBreaker: s.nodeTS[n].tieBreaker });
      out.push(t);
    }
    // nodeFailure
    if (s.aliveNodes.length > 2) {
      const t = clone(s);
      t.aliveNodes = s.aliveNodes.filter((k) => k !== n);
      t.epochID = s.epochID + 1;
      // nodeRcvedAcks' = [k \in H_NODES |-> {}] (the ACK reset of 949229c)
      for (const k of Object.keys(t.nodeRcvedAcks)) t.nodeRcvedAcks[Number(k)] = [];
      out.push(t);
    }
  }
  return out;
}

/** TLC-style BFS: distinct states, generated states (initial included), depth (TLC's: states on the longest shortest path). */
export function refCounts(nodes: number, maxVersion: number): { distinct: number; generated: number; tlcDepth: number } {
  const init = refInit(nodes);
  const seen = new Set<string>([stateKey(init)]);
  let frontier = [init];
  let generated = 1;
  let depth = 1;
  while (frontier.length > 0) {
    const next: RefState[] = [];
    for (const s of frontier) {
      for (const t of refSuccessors(s, maxVersion)) {
        generated++;
        const key = stateKey(t);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(t);
        }
      }
    }
    if (next.length > 0) depth++;
    frontier = next;
  }
  return { distinct: seen.size, generated, tlcDepth: depth };
}
