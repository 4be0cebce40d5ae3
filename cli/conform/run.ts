/**
 * `heal conform`'s engine: build the cluster configuration from the log and the flags,
 * search the model for a run that matches the log (checker/conform), then judge that
 * run with every property at every step and its client history with the
 * linearizability checker. Returns plain data; the command prints it.
 */
import { basename, join } from 'node:path';
import { searchConformance, type ConformOutcome, type LoggedEvent } from '../../checker/conform/search.ts';
import { checkEvents } from '../../checker/lincheck/check.ts';
import { formatExplanation } from '../../checker/lincheck/explain.ts';
import type { Model } from '../../checker/model.ts';
import { checkConformance } from '../../checker/trace/replay.ts';
import { saveTrace } from '../../checker/trace/io.ts';
import type { HistoryEvent } from '../../spec/history.ts';
import { healStoreModel } from '../../spec/models/heal-store.ts';
import {
  actions, actionKey, describeAction, drainActions, encode, initialState, next, displayOf, type ClusterAction, type ClusterConfig, type ClusterState,
} from '../../src/cluster/index.ts';
import { stepEvents, triggerOf, type EventType, type LogEvent } from '../../src/cluster/event-log.ts';
import { isMutantName } from '../../src/mutants.ts';
import { hasScopeEnds } from '../../src/protocol/persistency/index.ts';
import { InputError } from '../errors.ts';
import { createHealModel, HealConfigError } from '../../model/heal.ts';
import { bindingKey, emptyBinding, logValueOf, type Binding } from './binding.ts';
import { describeEvent, matchEvent, rulesFor } from './heal-events.ts';
import type { Logged, ParsedLog } from './log-format.ts';

export interface ConformFlags {
  readonly nodes?: number;
  readonly keys?: number;
  readonly persistency?: ClusterConfig['persistency'];
  readonly recovery?: ClusterConfig['recovery'];
  readonly writes?: number;
  readonly reads?: number;
  readonly scopes?: number;
  readonly crashes?: number;
  readonly duplicates?: boolean;
  readonly mutant?: string;
  readonly maxStates: number;
  readonly timeLimitSeconds?: number;
  /** The log runs until the system was quiescent: a run must end there too (liveness). */
  readonly ended?: boolean;
  /** Where rejection and violation traces go; null: do not save. */
  readonly out: string | null;
}

export interface Rejection {
  readonly line: number;
  readonly node: number;
  readonly seq: number;
  readonly event: string;
  readonly logged: string;
  /** Logged events of the run that matched before it. */
  readonly matched: number;
  /** The first logged event (by line) the furthest run did not match: the first event of the step where log and model part. */
  readonly firstUnmatched: { readonly line: number; readonly event: string };
  readonly rules: readonly string[];
  /**
   * When a step of the model matches the log's events up to this one: that step, the
   * line of its first logged event, and what the model produces at this node instead.
   */
  readonly step: { readonly action: string; readonly line: number; readonly instead: readonly string[] } | null;
  readonly expectedNode: unknown;
  /** The model's write values in expectedNode and `enabled`, and the log's value each stands for. */
  readonly values: Readonly<Record<string, unknown>>;
  /** What the model could do next, one line per enabled action (its first event). */
  readonly enabled: readonly { readonly atNode: boolean; readonly event: string; readonly action: string }[];
  readonly trace: string | null;
}

export interface ConformReport {
  readonly verdict: 'conforms' | 'does-not-conform' | 'unknown';
  readonly log: string;
  readonly config: ClusterConfig;
  readonly events: number;
  /** Sequence numbers with no logged event before a node's last logged one. */
  readonly missing: number;
  readonly statesExplored: number;
  readonly searchSeconds: number;
  /** Checking every property along the run found, and its client history's linearizability. */
  readonly propertySeconds: number;
  readonly lincheckSeconds: number;
  readonly runSteps: number | null;
  readonly rejection: Rejection | null;
  readonly bound: string | null;
  readonly violation: { readonly property: string; readonly message: string; readonly step: number; readonly trace: string | null } | null;
  readonly linearizability: { readonly result: string; readonly operations: number; readonly explanation?: readonly string[] } | null;
}

/** Streams per node, sorted by seq, with the file:line of a seq used twice as bad input. */
function streamsOf(log: ParsedLog, nodes: number): { streams: LoggedEvent<LogEvent>[][]; missing: number; byStream: Logged[][] } {
  const byStream: Logged[][] = Array.from({ length: nodes }, () => []);
  for (const e of log.events) {
    if (e.node >= nodes) throw new InputError(`${log.file}:${e.line}: field 'node': expected a node id below ${nodes}, got ${e.node}`);
    byStream[e.node]!.push(e);
  }
  let missing = 0;
  for (const s of byStream) {
    s.sort((a, b) => a.seq - b.seq || a.line - b.line);
    for (let i = 0; i < s.length; i++) {
      const prev = i === 0 ? 0 : s[i - 1]!.seq;
      if (s[i]!.seq === prev) {
        throw new InputError(`${log.file}:${s[i]!.line}: field 'seq': node ${s[i]!.node} already has an event with seq ${prev} (line ${s[i - 1]!.line})`);
      }
      missing += s[i]!.seq - prev - 1;
    }
  }
  return { streams: byStream.map((s) => s.map((e) => ({ seq: e.seq, line: e.line, event: e.event }))), missing, byStream };
}

function configOf(log: ParsedLog, flags: ConformFlags, missing: number): ClusterConfig {
  const meta = log.meta;
  const persistency = flags.persistency ?? meta?.persistency;
  if (persistency === undefined) throw new InputError(`${log.file}: no persistency model: give --persistency (or a meta line with 'persistency')`);
  let maxNode = 0;
  let maxKey = -1;
  let writes = 0;
  let reads = 0;
  let scopes = 0;
  let crashes = 0;
  for (const e of log.events) {
    maxNode = Math.max(maxNode, e.node);
    const ev = e.event;
    const key = 'key' in ev ? ev.key : ev.type === 'send' || ev.type === 'recv' ? ev.msg.key : undefined;
    if (key !== undefined) maxKey = Math.max(maxKey, key);
    if (ev.type === 'invoke') {
      if (ev.op === 'write') writes++;
      else if (ev.op === 'read') reads++;
      else scopes++;
    }
    if (ev.type === 'crash') crashes++;
  }
  const nodes = flags.nodes ?? meta?.nodes ?? Math.max(3, maxNode + 1);
  const keys = flags.keys ?? meta?.keys ?? Math.max(1, maxKey + 1);
  if (maxKey >= keys) throw new InputError(`${log.file}: the log uses key index ${maxKey}, but --keys is ${keys}`);
  const mutant = flags.mutant ?? null;
  if (mutant !== null && !isMutantName(mutant)) throw new InputError(`--mutant: unknown mutant '${mutant}' (see 'heal mutants')`);
  return {
    nodes,
    keys,
    persistency,
    recovery: flags.recovery ?? meta?.recovery ?? 'heal',
    // A missing event may hide a client operation: allow one per missing slot.
    writes: flags.writes ?? meta?.writes ?? writes + missing,
    reads: flags.reads ?? meta?.reads ?? reads + missing,
    scopes: hasScopeEnds(persistency) ? (flags.scopes ?? meta?.scopes ?? scopes + missing) : 0,
    // One crash more than logged: the model stops DURABLE notices after its last
    // budgeted crash (RED-PP-DEAD), which an implementation does not know about.
    crashes: flags.crashes ?? meta?.crashes ?? Math.min(15, crashes + 1),
    duplicates: flags.duplicates ?? meta?.duplicates ?? false,
    mutant,
    // A real network delivers every DURABLE notice sent, also one a newer notice
    // overtook: only a log the model wrote (export) says its network coalesced them.
    coalesceDurable: meta?.coalesceDurable ?? false,
  };
}

/**
 * The checker's model of this configuration, without the client history (LIN's monitor
 * stands for it). DUR-SYNCH and SCOPE-DURABLE stay linear along a long run: their records
 * are dropped once held durably (src/cluster/observers.ts settle).
 */
function modelFor(config: ClusterConfig): Model<ClusterState, ClusterAction> {
  let model: Model<ClusterState, ClusterAction>;
  try {
    model = createHealModel(config);
  } catch (e) {
    // The configuration comes from the log's meta line, its events and the flags.
    if (e instanceof HealConfigError) throw new InputError(e.message);
    throw e;
  }
  return { ...model, initialStates: () => [{ ...initialState(config), history: null }] };
}

function clientHistory(config: ClusterConfig, path: readonly ClusterAction[], binding: Binding, logValues: number): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  let s: ClusterState = { ...initialState(config), history: null };
  // A value the log never showed (its write was not logged) gets a fresh name.
  const value = (m: number) => {
    const x = logValueOf(binding, m);
    return x >= 0 ? x : logValues + m;
  };
  for (const a of path) {
    const s2 = next(config, s, a);
    for (const { node, event } of stepEvents(config, s, a, s2)) {
      if (event.type !== 'invoke' && event.type !== 'ok') continue;
      const process = node + config.nodes * s.nodes[node]!.incarnation;
      const v = event.op === 'write' || (event.op === 'read' && event.type === 'ok') ? value(event.value ?? 0) : null;
      out.push({ process, type: event.type, f: event.op, ...(event.op === 'scope-end' ? {} : { key: `k${event.key}` }), value: v });
    }
    s = s2;
  }
  return out;
}

export function runConformance(log: ParsedLog, flags: ConformFlags): ConformReport {
  return checkLog(log, flags).report;
}

/** The run a verdict rests on: the model's steps and, per step, how many logged events each matched. */
export interface MatchedRun {
  readonly config: ClusterConfig;
  readonly path: readonly ClusterAction[];
  readonly matched: readonly number[];
}

export function checkLog(log: ParsedLog, flags: ConformFlags): { report: ConformReport; run: MatchedRun } {
  const recorded = new Set<EventType>((log.meta?.records as EventType[] | undefined) ?? ['invoke', 'ok', 'send', 'recv', 'persist', 'persisted', 'crash', 'restart', 'view', 'recovery']);
  const probe = configOf(log, flags, 0);
  const { streams, missing, byStream } = streamsOf(log, probe.nodes);
  const config = configOf(log, flags, missing);
  const started = performance.now();
  const outcome: ConformOutcome<ClusterState, ClusterAction, Binding> = searchConformance<ClusterState, ClusterAction, LogEvent, LogEvent, Binding>({
    initial: { ...initialState(config), history: null },
    actions: (s) => actions(config, s),
    next: (s, a) => next(config, s, a),
    // Ghost guarantee records are read by properties only, never by the protocol: two
    // states that differ in them produce the same events, so the search merges them
    // (the run found is judged with them afterwards). Long runs pile them up.
    stateKey: (s) => Buffer.from(encode(s.ghostDurable.length === 0 ? s : { ...s, ghostDurable: [] })).toString('latin1'),
    streams,
    trigger: (s, a) => {
      const t = triggerOf(config, s, a);
      return recorded.has(t.event.type) ? { stream: t.node, event: t.event } : null;
    },
    produced: (s, a, s2) => stepEvents(config, s, a, s2).filter((e) => recorded.has(e.event.type)).map((e) => ({ stream: e.node, event: e.event })),
    match: matchEvent,
    initialBinding: emptyBinding(config.writes, log.values.length),
    bindingKey,
    maxStates: flags.maxStates,
    // Ended: nothing left to deliver, persist or promote (a node may stay down, and a
    // client may wait forever: that is the liveness bug a correct run would not show).
    ...(flags.ended ? { ended: (s: ClusterState) => drainActions(config, s).every((a) => a.kind === 'restart') } : {}),
    ...(flags.timeLimitSeconds !== undefined ? { deadline: started + flags.timeLimitSeconds * 1000 } : {}),
  });
  const searchSeconds = (performance.now() - started) / 1000;
  const base = { log: log.file, config, events: log.events.length, missing, statesExplored: outcome.states, searchSeconds, propertySeconds: 0, lincheckSeconds: 0 };
  const model = modelFor(config);
  // One directory per log: two logs checked under the same configuration keep their own traces.
  const traceOf = (property: string, message: string, path: readonly ClusterAction[]): string | null =>
    flags.out === null
      ? null
      : saveTrace(join(flags.out, basename(log.file).replace(/[^A-Za-z0-9_.-]/g, '_')), {
          model: 'heal', config: { ...config }, mutant: config.mutant, property, message,
          foundBy: { strategy: 'external', seed: null, shrunkFrom: null }, initialIndex: 0,
          actions: [...path], steps: path.map((a) => describeAction(a)),
        });

  if (outcome.kind !== 'accepted') {
    const s = outcome.best.state;
    const path = outcome.best.path.map((p) => p.action);
    const matched = outcome.best.path.reduce((t, p) => t + p.consumed.length, 0);
    const logValue = (v: number) => JSON.stringify(log.values[v] ?? v);
    const firstEnabled = actions(config, s).map((a) => triggerOf(config, s, a));
    const leftToDo = drainActions(config, s).filter((a) => a.kind !== 'restart').map((a) => triggerOf(config, s, a));
    // Every logged event matched, but the run may not end there (--ended): the log's end is what no run produces.
    const atEnd = outcome.stuck.index >= byStream[outcome.stuck.stream]!.length;
    let stuck: Logged = atEnd
      ? {
          node: leftToDo[0]?.node ?? 0, seq: (byStream[leftToDo[0]?.node ?? 0]!.at(-1)?.seq ?? 0) + 1,
          line: log.events.reduce((m, e) => Math.max(m, e.line), 0) + 1, event: leftToDo[0]?.event ?? { type: 'crash' }, raw: '(end of the log)',
        }
      : byStream[outcome.stuck.stream]![outcome.stuck.index]!;
    const close = atEnd ? null : closestStep(config, s, outcome.best.cursor, outcome.best.binding, byStream, recorded);
    const first = stuck;
    if (close !== null) stuck = close.logged;
    const event = atEnd ? `the end of the log: the system was not quiescent, n${stuck.node} still had to act` : describeEvent(stuck.node, stuck.event, logValue);
    const message = atEnd
      ? `${log.file}: every logged event is produced, but no such run ends there (--ended): the model still has to deliver, persist, return or promote`
      : `${log.file}:${stuck.line}: no run of the model produces '${event}' (node ${stuck.node}, seq ${stuck.seq}) after the ${matched} logged events before it`;
    const enabled = actions(config, s).map((a, i) => {
      const t = firstEnabled[i]!;
      return { atNode: t.node === stuck.node, event: describeEvent(t.node, t.event), action: actionKey(a) };
    });
    const rejection: Rejection = {
      line: stuck.line, node: stuck.node, seq: stuck.seq, event, logged: stuck.raw,
      matched,
      firstUnmatched: { line: first.line, event: atEnd ? event : describeEvent(first.node, first.event, logValue) },
      rules: atEnd
        ? ['PROGRESS', 'RECOVERY-COMPLETES', ...rulesFor(stuck.event)]
        : [...new Set([...rulesFor(first.event), ...rulesFor(stuck.event), ...(close?.instead ?? []).flatMap(rulesFor)])],
      step: close === null ? null : {
        action: describeAction(close.action), line: close.firstLine, instead: close.instead.map((e) => describeEvent(stuck.node, e)),
      },
      expectedNode: (displayOf(s) as { nodes: unknown[] }).nodes[stuck.node],
      values: Object.fromEntries(
        Array.from({ length: Math.min(config.writes, 32) }, (_, i) => i + 1)
          .map((m) => [m, logValueOf(outcome.best.binding, m)] as const)
          .filter(([, x]) => x > 0)
          .map(([m, x]) => [String(m), log.values[x]]),
      ),
      enabled,
      trace: traceOf('CONFORM', message, path),
    };
    const bound = outcome.kind === 'bound' ? (outcome.reason === 'time' ? `--time-limit ${flags.timeLimitSeconds}` : `--max-states ${flags.maxStates}`) : null;
    const report: ConformReport = {
      ...base, verdict: outcome.kind === 'bound' ? 'unknown' : 'does-not-conform', runSteps: null, rejection, bound, violation: null, linearizability: null,
    };
    return { report, run: { config, path, matched: outcome.best.path.map((p) => p.consumed.length) } };
  }

  const path = outcome.run.path.map((p) => p.action);
  let t = performance.now();
  const judged = checkConformance(model, path);
  const propertySeconds = (performance.now() - t) / 1000;
  let violation: ConformReport['violation'] = null;
  if (!judged.ok) {
    if (judged.kind === 'not-enabled') throw new Error(`conform: the matched run does not replay at step ${judged.step} (${judged.reason})`);
    const v = judged.violations[0]!;
    violation = { property: v.property, message: v.message, step: judged.step, trace: traceOf(v.property, v.message, path.slice(0, judged.step)) };
  }
  t = performance.now();
  const binding = outcome.run.binding;
  const history = clientHistory(config, path, binding, log.values.length);
  const store = healStoreModel(0);
  const lin = checkEvents(history, store, { explain: true, timeoutMs: 30_000 });
  const linearizability = {
    result: lin.result,
    operations: lin.operations,
    ...(lin.result === 'illegal' && lin.explanation ? { explanation: formatExplanation(store, lin.explanation) } : {}),
  };
  const lincheckSeconds = (performance.now() - t) / 1000;
  const verdict = violation !== null || lin.result === 'illegal' ? 'does-not-conform' : lin.result === 'unknown' ? 'unknown' : 'conforms';
  const report: ConformReport = { ...base, propertySeconds, lincheckSeconds, verdict, runSteps: path.length, rejection: null, bound: null, violation, linearizability };
  return { report, run: { config, path, matched: outcome.run.path.map((p) => p.consumed.length) } };
}

interface Mismatch {
  readonly matched: number;
  readonly logged: Logged;
  readonly action: ClusterAction;
  readonly firstLine: number;
  readonly instead: readonly LogEvent[];
}

/**
 * Of the steps the model could take where the search stopped, the one that matches the
 * most logged events before one it does not produce: that event is where the log and
 * the protocol part, more precisely than the step's first event.
 */
function closestStep(
  config: ClusterConfig, s: ClusterState, cursor: Int32Array, binding: Binding, byStream: readonly Logged[][], recorded: ReadonlySet<EventType>,
): Mismatch | null {
  const k = byStream.length;
  let best: Mismatch | null = null;
  for (const a of actions(config, s)) {
    // As in the search: the step's first event takes its node's next position.
    const trig = triggerOf(config, s, a);
    const here = byStream[trig.node]![cursor[k + trig.node]!];
    if (!recorded.has(trig.event.type) || here === undefined || here.seq !== cursor[trig.node] || matchEvent(here.event, trig.event, binding) === null) continue;
    const events = stepEvents(config, s, a, next(config, s, a)).filter((e) => recorded.has(e.event.type));
    let b = binding;
    let matched = 0;
    let firstLine = Infinity;
    let mismatch: { logged: Logged; instead: LogEvent[] } | null = null;
    for (let t = 0; t < k && mismatch === null; t++) {
      const mine = events.filter((e) => e.node === t).map((e) => e.event);
      if (mine.length === 0) continue;
      const used = mine.map(() => false);
      const stop = cursor[t]! + mine.length;
      const stream = byStream[t]!;
      for (let j = cursor[k + t]!; j < stream.length && stream[j]!.seq < stop; j++) {
        const logged = stream[j]!;
        const i = mine.findIndex((e, x) => !used[x] && matchEvent(logged.event, e, b) !== null);
        if (i < 0) {
          mismatch = { logged, instead: mine.filter((_, x) => !used[x]) };
          break;
        }
        b = matchEvent(logged.event, mine[i]!, b)!;
        used[i] = true;
        matched++;
        firstLine = Math.min(firstLine, logged.line);
      }
    }
    if (mismatch !== null && matched > 0 && (best === null || matched > best.matched)) best = { matched, ...mismatch, action: a, firstLine };
  }
  return best;
}
