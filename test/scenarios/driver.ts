/**
 * Interprets the commands of a scenario file (test/scenarios/testdata/*.txt) on the HEAL
 * cluster model, etcd-raft interaction-test style. Every command runs on two clusters in
 * lockstep: the fixed protocol and the mutant named by `config` (a finding's old rule).
 * A command prefixed `fixed:` or `mutant:` runs on that side only, for where the two
 * protocols must take different steps. An output the two sides share is printed once;
 * otherwise each line carries its side.
 *
 * Steps go through the trace Replayer, so a step runs only if the model enables it: a step
 * that is not enabled is an error (the test fails), never an output. A scenario therefore
 * cannot silently stop short of the situation it is about, as saved traces do.
 *
 *   config persistency=P recovery=R nodes=N keys=K writes=W reads=R scopes=S crashes=C mutant=NAME
 *   write nX kY | read nX kY | scope-end nX | crash nX | restart nX | promote nX
 *   deliver TYPE nA->nB [kK] [ts=T] [valid|invalid]   (the one message in flight that matches)
 *   persist nX kY [ts=T]
 *   drain        deliveries, persists, restarts, promotions (first enabled first) until none is
 *                enabled or a property fails; prints the count and where it stopped
 *   check        every property that applies to the state: `ok` or `ID: message` per violation
 *   show nX      the node: role, keys, durable store, persists pending, client operation
 *   net          messages in flight
 *   enabled KIND the enabled actions of one kind (write, read, persist, crash, restart, promote, ...)
 */
import { createHealModel } from '../../model/heal.ts';
import { Replayer } from '../../checker/trace/replay.ts';
import { findMutant } from '../../src/mutants.ts';
import { drainActions, describeMsg, type ClusterAction, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../../src/cluster/state.ts';
import { formatTs } from '../../src/protocol/timestamp.ts';
import { KEY_STATUS_NAMES, MSG_NAMES, ROLE_NAMES, type Msg, type NodeState } from '../../src/protocol/types.ts';

type Side = 'fixed' | 'mutant';

export interface CheckResult {
  readonly line: number;
  readonly fixed: readonly string[] | null;
  readonly mutant: readonly string[] | null;
}

interface Cluster {
  readonly config: ClusterConfig;
  readonly replayer: Replayer<ClusterState, ClusterAction>;
}

export class ScenarioError extends Error {}

export class Scenario {
  private sides: Record<Side, Cluster> | null = null;
  mutant: string | null = null;
  /** Every `check`, with the property IDs each side violated (null: side not run). */
  readonly checks: CheckResult[] = [];

  constructor(private readonly file: string) {}

  run(command: string, line: number): string {
    const fail = (msg: string): never => {
      throw new ScenarioError(`${this.file}:${line}: ${command}: ${msg}`);
    };
    let only: Side | null = null;
    let rest = command;
    const m = /^(fixed|mutant):\s*(.*)$/.exec(command);
    if (m) {
      only = m[1] as Side;
      rest = m[2]!;
    }
    const [verb, ...args] = rest.split(/\s+/);
    if (verb === 'config') {
      if (only) fail('config applies to both sides');
      return this.configure(args, fail);
    }
    if (this.sides === null) fail('the first command must be config');
    const run = (side: Side): string[] => this.exec(this.sides![side], verb!, args, fail);
    if (verb === 'check') {
      const out: Record<Side, string[] | null> = { fixed: null, mutant: null };
      for (const side of ['fixed', 'mutant'] as const) if (only === null || only === side) out[side] = run(side);
      const ids = (o: string[] | null) => (o === null ? null : o[0] === 'ok' ? [] : o.map((l) => l.split(':')[0]!));
      this.checks.push({ line, fixed: ids(out.fixed), mutant: ids(out.mutant) });
      return merge(out.fixed, out.mutant);
    }
    if (only) return prefix(only, run(only));
    // Messages in flight and enabled actions are sets: print what both hold once.
    if (verb === 'net' || verb === 'enabled') return mergeSets(run('fixed'), run('mutant'));
    return merge(run('fixed'), run('mutant'));
  }

  private configure(args: string[], fail: (m: string) => never): string {
    const cfg: Record<string, string | number | boolean | null> = { ...DEFAULT_CLUSTER_CONFIG };
    for (const a of args) {
      const [k, v] = a.split('=');
      if (!k || v === undefined || !(k in cfg)) fail(`bad setting '${a}' (expected key=value, key one of ${Object.keys(cfg).join(', ')})`);
      cfg[k!] = /^\d+$/.test(v!) ? Number(v) : v!;
    }
    const mutant = cfg['mutant'];
    if (typeof mutant !== 'string' || findMutant(mutant) === undefined) fail(`mutant=NAME must name a mutant of src/mutants.ts`);
    this.mutant = mutant as string;
    const make = (mutantName: string | null): Cluster => {
      const model = createHealModel({ ...cfg, mutant: mutantName });
      return { config: { ...cfg, mutant: mutantName } as unknown as ClusterConfig, replayer: new Replayer(model, 0, false) };
    };
    this.sides = { fixed: make(null), mutant: make(this.mutant) };
    return '';
  }

  private exec(c: Cluster, verb: string, args: string[], fail: (m: string) => never): string[] {
    const s = c.replayer.state;
    const node = (a: string | undefined): number => {
      const n = /^n(\d+)$/.exec(a ?? '');
      if (!n || Number(n[1]) >= c.config.nodes) fail(`expected a node n0..n${c.config.nodes - 1}, got '${a}'`);
      return Number(n![1]);
    };
    const key = (a: string | undefined): number => {
      const k = /^k(\d+)$/.exec(a ?? '');
      if (!k || Number(k[1]) >= c.config.keys) fail(`expected a key k0..k${c.config.keys - 1}, got '${a}'`);
      return Number(k![1]);
    };
    const step = (a: ClusterAction): string[] => {
      const r = c.replayer.step(a);
      if (!r.ok) fail(`${r.reason} (${c.config.mutant ?? 'fixed protocol'})`);
      return [r.ok ? r.description : ''];
    };
    switch (verb) {
      case 'write':
      case 'read':
        return step({ kind: verb, node: node(args[0]), key: key(args[1]) });
      case 'scope-end':
      case 'crash':
      case 'restart':
      case 'promote':
        return step({ kind: verb, node: node(args[0]) });
      case 'deliver':
        return step({ kind: 'deliver', msg: this.findMsg(c, s, args, fail) });
      case 'persist': {
        const n = node(args[0]);
        const k = key(args[1]);
        const ts = optTs(args.slice(2));
        const ps = s.nodes[n]!.pending.filter((p) => p.key === k && (ts === null || formatTs(p.ts) === ts));
        if (ps.length !== 1) fail(`${ps.length} pending persists of k${k}${ts ? ` ts ${ts}` : ''} at n${n} (${c.config.mutant ?? 'fixed protocol'})`);
        return step({ kind: 'persist', node: n, key: k, ts: ps[0]!.ts });
      }
      case 'drain':
        return [this.drain(c)];
      case 'check': {
        const v = c.replayer.violations();
        return v.length === 0 ? ['ok'] : v.map((x) => `${x.property}: ${x.message}`);
      }
      case 'show':
        return [showNode(node(args[0]), s.nodes[node(args[0])]!, c.config.persistency === 'renf')];
      case 'enabled': {
        const acts = c.replayer.model.actions(s).filter((a) => a.kind === args[0]);
        return acts.length === 0 ? [`(no ${args[0]} enabled)`] : acts.map((a) => c.replayer.model.describeAction(a));
      }
      case 'net':
        return s.net.length === 0 ? ['(nothing in flight)'] : s.net.map((m) => `${describeMsg(m)} n${m.from}->n${m.to}`);
      default:
        return fail(`unknown command '${verb}'`);
    }
  }

  private findMsg(c: Cluster, s: ClusterState, args: string[], fail: (m: string) => never): Msg {
    const type = MSG_NAMES.indexOf(args[0] as (typeof MSG_NAMES)[number]);
    const route = /^n(\d+)->n(\d+)$/.exec(args[1] ?? '');
    if (type < 0 || !route) fail(`expected 'deliver TYPE nA->nB', TYPE one of ${MSG_NAMES.join(' ')}`);
    const k = args.slice(2).find((a) => /^k\d+$/.test(a));
    const ts = optTs(args.slice(2));
    const valid = args.includes('valid') ? true : args.includes('invalid') ? false : null;
    const found = s.net.filter((m) =>
      m.type === type && m.from === Number(route![1]) && m.to === Number(route![2]) &&
      (k === undefined || `k${m.key}` === k) && (ts === null || formatTs(m.ts) === ts) && (valid === null || m.valid === valid));
    const distinct = found.filter((m, i) => i === 0 || describeMsg(m) !== describeMsg(found[i - 1]!));
    if (distinct.length !== 1) {
      fail(`${distinct.length} such messages in flight (${c.config.mutant ?? 'fixed protocol'}): ${distinct.map(describeMsg).join('; ') || 'none'}`);
    }
    return distinct[0]!;
  }

  /** Deterministic drain: always the first enabled drain action (deliveries, then persists, restarts, promotions). */
  private drain(c: Cluster): string {
    for (let i = 0; i < 5000; i++) {
      const bad = c.replayer.violations();
      if (bad.length > 0) return `${i} steps, stopped: ${bad.map((v) => v.property).join(', ')} violated`;
      const acts = drainActions(c.config, c.replayer.state);
      if (acts.length === 0) {
        const any = c.replayer.model.actions(c.replayer.state).length;
        return `${i} steps, ${any === 0 ? 'terminal' : 'quiescent'}`;
      }
      c.replayer.step(acts[0]!);
    }
    throw new ScenarioError(`${this.file}: drain did not end within 5000 steps`);
  }
}

function optTs(args: readonly string[]): string | null {
  const t = args.find((a) => a.startsWith('ts='));
  return t === undefined ? null : t.slice(3);
}

function showNode(n: number, node: NodeState, marks: boolean): string {
  const parts = [`n${n} ${ROLE_NAMES[node.role]} incarnation ${node.incarnation}`];
  node.keys.forEach((ks, k) => {
    const d = node.durable[k]!;
    parts.push(`k${k} ${KEY_STATUS_NAMES[ks.status]} ${formatTs(ks.ts)} v${ks.value}${marks && !ks.dmark ? ' (no durable mark)' : ''}, durable ${formatTs(d.ts)} v${d.value}`);
  });
  if (node.pending.length > 0) parts.push(`pending ${node.pending.map((p) => `k${p.key} ${formatTs(p.ts)}`).join(' ')}`);
  if (node.client !== null) parts.push(node.client.kind === 0 ? `client writes k${node.client.key} ts ${formatTs(node.client.ts)}` : 'client ends scope');
  if (node.rec !== null) parts.push(`buddy n${node.rec.buddy}`);
  return parts.join('; ');
}

function prefix(side: Side, lines: readonly string[]): string {
  return lines.filter((l) => l !== '').map((l) => `${side}: ${l}`).join('\n');
}

function merge(fixed: readonly string[] | null, mutant: readonly string[] | null): string {
  if (fixed === null) return prefix('mutant', mutant ?? []);
  if (mutant === null) return prefix('fixed', fixed);
  if (fixed.join('\n') === mutant.join('\n')) return fixed.filter((l) => l !== '').join('\n');
  return [prefix('fixed', fixed), prefix('mutant', mutant)].filter((l) => l !== '').join('\n');
}

function mergeSets(fixed: readonly string[], mutant: readonly string[]): string {
  const both = fixed.filter((l) => mutant.includes(l));
  const out = [...both, ...prefix('fixed', fixed.filter((l) => !both.includes(l))).split('\n'), ...prefix('mutant', mutant.filter((l) => !both.includes(l))).split('\n')];
  return out.filter((l) => l !== '').join('\n');
}
