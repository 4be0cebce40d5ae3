/**
 * Test drivers over the HEAL model: a choice-driven random walk (fast-check supplies the
 * choices, so shrinking shortens the action list) with property checks at every step
 * and a drain at the end, and a small BFS that returns the first violation.
 */
import { createHealModel } from '../../model/heal.ts';
import { actions, drainActions, initialState, next, type ClusterAction, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../../src/cluster/state.ts';
import { firstViolation, stateFacts, type Model, type StateFacts } from '../../checker/model.ts';

export type HealModel = Model<ClusterState, ClusterAction>;

export function config(over: Partial<ClusterConfig> = {}): ClusterConfig {
  return { ...DEFAULT_CLUSTER_CONFIG, ...over };
}

/**
 * The states of one choice-driven walk on the cluster itself (no checker model), the
 * initial state first: each choice picks among the enabled actions, and the walk ends
 * early where none is enabled.
 */
export function statesAlong(cfg: ClusterConfig, choices: readonly number[]): ClusterState[] {
  let s = initialState(cfg);
  const out = [s];
  for (const c of choices) {
    const acts = actions(cfg, s);
    if (acts.length === 0) break;
    s = next(cfg, s, acts[c % acts.length]!);
    out.push(s);
  }
  return out;
}

export interface Violation {
  readonly property: string;
  readonly message: string;
  readonly actions: readonly string[];
}

const REACHED: StateFacts = { reached: true, quiescent: null, terminal: null };

/**
 * One walk: each choice picks among the enabled actions; then drain (deliveries,
 * persists, restarts, promotions; no client operation, no crash) until nothing is left,
 * and judge the final state by the checker's own rule (stateFacts, propertyApplies).
 */
export function walk(model: HealModel, cfg: ClusterConfig, choices: readonly number[], trace?: string[]): Violation | null {
  let s = model.initialStates()[0]!;
  const done: string[] = trace ?? [];
  const fail = (v: { property: string; message: string }): Violation => ({ ...v, actions: done });
  let v = firstViolation(model.properties, s, REACHED);
  if (v) return fail(v);
  for (const c of choices) {
    const acts = model.actions(s);
    if (acts.length === 0) break;
    const a = acts[c % acts.length]!;
    done.push(model.describeAction(a));
    s = model.next(s, a);
    v = firstViolation(model.properties, s, REACHED);
    if (v) return fail(v);
  }
  let i = 0;
  for (let guard = 0; guard < 2000; guard++) {
    let acts = drainActions(cfg, s);
    // With duplicate delivery the network never empties: drain only what changes the state.
    if (cfg.duplicates) {
      const here = Buffer.from(model.encode(s));
      acts = acts.filter((a) => !here.equals(Buffer.from(model.encode(model.next(s, a)))));
    }
    if (acts.length === 0) break;
    const a = acts[(choices[i++ % Math.max(1, choices.length)] ?? 0) % acts.length]!;
    done.push(model.describeAction(a));
    s = model.next(s, a);
    v = firstViolation(model.properties, s, REACHED);
    if (v) return fail(v);
  }
  const facts = stateFacts(model, s);
  if (!facts.quiescent) return fail({ property: 'PROGRESS', message: 'draining did not reach a quiescent state' });
  v = firstViolation(model.properties, s, { ...facts, reached: false });
  if (v) return fail(v);
  return null;
}

export interface BfsResult {
  readonly states: number;
  readonly violation: { property: string; message: string; depth: number } | null;
  readonly complete: boolean;
}

/**
 * Breadth-first search checking every property scope; stops at the first violation.
 * Each state is judged when it is first reached (as the explorer does), so a violation
 * at depth d costs the states up to depth d, not the whole next layer.
 */
export function bfs(model: HealModel, maxStates: number, canonicalize = false): BfsResult {
  const seen = new Set<string>();
  const key = (s: ClusterState) => Buffer.from(model.encode(canonicalize && model.canonicalize ? model.canonicalize(s) : s)).toString('latin1');
  const judge = (s: ClusterState, depth: number): BfsResult | null => {
    const v = firstViolation(model.properties, s, stateFacts(model, s));
    return v === null ? null : { states: seen.size, violation: { ...v, depth }, complete: false };
  };
  const init = model.initialStates()[0]!;
  seen.add(key(init));
  let frontier: { s: ClusterState; acts: readonly ClusterAction[] }[] = [{ s: init, acts: model.actions(init) }];
  const first = judge(init, 0);
  if (first) return first;
  for (let depth = 1; frontier.length > 0; depth++) {
    const nextFrontier: typeof frontier = [];
    for (const { s, acts } of frontier) {
      for (const a of acts) {
        const n = model.next(s, a);
        const k = key(n);
        if (seen.has(k)) continue;
        seen.add(k);
        const nActs = model.actions(n);
        const v = judge(n, depth);
        if (v) return v;
        nextFrontier.push({ s: n, acts: nActs });
        if (seen.size >= maxStates) return { states: seen.size, violation: null, complete: false };
      }
    }
    frontier = nextFrontier;
  }
  return { states: seen.size, violation: null, complete: true };
}

export function healModel(cfg: ClusterConfig): HealModel {
  return createHealModel(cfg);
}
