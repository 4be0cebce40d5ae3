/**
 * A run of the cluster model as an event log (spec/event-log-format.md): a meta line
 * with the configuration, then every event of every step, each node numbering its own
 * events 1, 2, ... The events of one step are consecutive lines, so the file's order is
 * also one global order the run allows (conform does not rely on it).
 */
import { initialState, next, type ClusterAction, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { stepEvents, type LogEvent, type LogMsg } from '../../src/cluster/event-log.ts';
import { writeAtomic } from '../write-atomic.ts';
import type { Model } from '../../checker/model.ts';
import { Replayer } from '../../checker/trace/replay.ts';
import type { Trace } from '../../checker/trace/schema.ts';
import { InputError } from '../errors.ts';
import { parseHealConfig } from '../../model/heal.ts';
import { EVENT_LOG_FORMAT, EVENT_LOG_VERSION } from './log-format.ts';

/** The model's value 0 is the initial value, which a log writes as null. */
const val = (v: number | undefined) => (v === undefined ? {} : { value: v === 0 ? null : v });

function msgJson(m: LogMsg): Record<string, unknown> {
  const { value, ...rest } = m;
  return { ...rest, ...val(value) };
}

function eventJson(e: LogEvent): Record<string, unknown> {
  switch (e.type) {
    case 'send':
    case 'recv':
      return { type: e.type, msg: msgJson(e.msg) };
    case 'invoke':
    case 'ok':
    case 'persist':
    case 'persisted': {
      const { value, ...rest } = e;
      return { ...rest, ...val(value) };
    }
    default:
      return { ...e };
  }
}

function metaLine(config: ClusterConfig): Record<string, unknown> {
  return {
    type: 'meta', format: EVENT_LOG_FORMAT, version: EVENT_LOG_VERSION,
    nodes: config.nodes, keys: config.keys, persistency: config.persistency, recovery: config.recovery,
    duplicates: config.duplicates, writes: config.writes, reads: config.reads, scopes: config.scopes, crashes: config.crashes,
    coalesceDurable: config.coalesceDurable !== false,
  };
}

/** The log lines (without newlines) of the run that takes `actions` from the initial state. */
export function exportRun(config: ClusterConfig, actions: readonly ClusterAction[]): string[] {
  const lines = [JSON.stringify(metaLine(config))];
  const seq = new Array<number>(config.nodes).fill(0);
  let s: ClusterState = { ...initialState(config), history: null };
  for (const a of actions) {
    const s2 = next(config, s, a);
    for (const { node, event } of stepEvents(config, s, a, s2)) {
      lines.push(JSON.stringify({ node, seq: ++seq[node]!, ...eventJson(event) }));
    }
    s = s2;
  }
  return lines;
}

/** The trace's run (up to its first action that is not enabled) as event-log lines, meta line first. */
export function traceLogLines(trace: Trace, model: Model<unknown, unknown>, flag: string): string[] {
  if (trace.model !== 'heal') throw new InputError(`${flag}: only runs of the heal model have an event log, this trace is of '${trace.model}'`);
  const config = parseHealConfig(trace.config);
  const replayer = new Replayer(model, trace.initialIndex, false);
  const done: ClusterAction[] = [];
  for (const a of trace.actions) {
    const r = replayer.step(a);
    if (!r.ok) break;
    done.push(r.action as ClusterAction);
  }
  return exportRun(config, done);
}

/**
 * `heal replay TRACE --export-log OUT`: the trace's run (up to its first action that is
 * not enabled, if any) as an event log, written to a temporary name and renamed.
 * Returns the number of events written.
 */
export function exportTraceLog(trace: Trace, model: Model<unknown, unknown>, out: string): number {
  const lines = traceLogLines(trace, model, '--export-log');
  writeAtomic('--export-log', out, lines.join('\n') + '\n');
  return lines.length - 1;
}
