/**
 * Value symmetry (spec/cluster-model.md "Symmetry"): the protocol only copies and
 * compares written values for equality, and so do the properties (LIN's monitor, AGREE,
 * CONVERGE), so renaming the values already written by a bijection, leaving 0 (the
 * initial value) and the values not yet written (fresh ones) alone, maps a run to a run
 * and a verdict to the same verdict. The representative of a state's orbit renames the
 * written values in the order they first appear in a walk of the state whose order does
 * not depend on the values themselves; a value that first appears only where the order
 * does depend on them (the monitor's configurations) may leave two members of one orbit
 * with two representatives, which costs reduction, never soundness.
 *
 * Data values live in: key states (value, wval), durable stores, pending persists,
 * Partially_persisted and Missed_updates entries, a pending client write, INV and MU
 * messages (`Msg.value`), the linearizability monitor and the history log.
 */
import {
  INV, MU, CLIENT_WRITE, type Msg, type NodeState,
} from '../protocol/types.ts';
import { compareConfig, type KeyLin } from './lin-monitor.ts';
import { compareMsg, type ClusterConfig, type ClusterState } from './state.ts';

function carriesData(m: Msg): boolean {
  return m.type === INV || m.type === MU;
}

/** The renaming, as an array from old value to new: identity when nothing would change. */
function renaming(config: ClusterConfig, s: ClusterState): number[] | null {
  const written = config.writes - s.writesLeft;
  if (written < 2) return null;
  const map: number[] = new Array<number>(written + 1).fill(0);
  let named = 0;
  const see = (v: number): void => {
    if (v > 0 && v <= written && map[v] === 0) map[v] = ++named;
  };
  for (const n of s.nodes) seeNode(n, see);
  for (const m of s.net) if (carriesData(m)) see(m.value);
  for (const k of s.lin) for (const w of k.pending) see(w.value);
  for (const k of s.lin) for (const c of k.configs) see(c.value);
  for (let v = 1; v <= written; v++) if (map[v] === 0) map[v] = ++named;
  let identity = true;
  for (let v = 1; v <= written && identity; v++) identity = map[v] === v;
  return identity ? null : map;
}

function seeNode(n: NodeState, see: (v: number) => void): void {
  for (const k of n.keys) {
    see(k.value);
    see(k.wval);
  }
  for (const d of n.durable) see(d.value);
  for (const p of n.pending) see(p.value);
  for (const e of n.pp) if (e !== null) see(e.value);
  for (const b of n.mu) if (b !== null) for (const e of b.entries) if (e !== null) see(e.value);
  if (n.client !== null && n.client.kind === CLIENT_WRITE) see(n.client.value);
}

export function canonicalValues(config: ClusterConfig, s: ClusterState): ClusterState {
  const map = renaming(config, s);
  if (map === null) return s;
  const r = (v: number): number => (v > 0 && v < map.length ? map[v]! : v);
  return {
    ...s,
    nodes: s.nodes.map((n) => renameNode(n, r)),
    net: s.net.map((m) => (carriesData(m) ? { ...m, value: r(m.value) } : m)).sort(compareMsg),
    lin: s.lin.map((k) => renameLin(k, r)),
    history: s.history && s.history.map((h) => (h.value > 0 ? { ...h, value: r(h.value) } : h)),
  };
}

function renameNode(n: NodeState, r: (v: number) => number): NodeState {
  return {
    ...n,
    keys: n.keys.map((k) => ({ ...k, value: r(k.value), wval: r(k.wval) })),
    durable: n.durable.map((d) => ({ ...d, value: r(d.value) })),
    pending: n.pending.map((p) => ({ ...p, value: r(p.value) })),
    pp: n.pp.map((e) => e && { ...e, value: r(e.value) }),
    mu: n.mu.map((b) => b && { ...b, entries: b.entries.map((e) => e && { ...e, value: r(e.value) }) }),
    client: n.client && (n.client.kind === CLIENT_WRITE ? { ...n.client, value: r(n.client.value) } : n.client),
  };
}

function renameLin(k: KeyLin, r: (v: number) => number): KeyLin {
  return {
    pending: k.pending.map((w) => ({ ...w, value: r(w.value) })),
    configs: k.configs.map((c) => ({ ...c, value: r(c.value) })).sort(compareConfig),
  };
}
