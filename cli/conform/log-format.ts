/**
 * The event-log format (spec/event-log-format.md is the prose): JSON Lines, one event
 * per line, an optional `meta` line first. Parsing turns every problem into one
 * InputError naming the file, the line and the field; values and string keys are
 * interned to small integers here so that the search compares numbers.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MSG_NAMES } from '../../src/protocol/types.ts';
import { PERSISTENCIES } from '../../src/protocol/persistency/index.ts';
import { RECOVERIES } from '../../src/protocol/recovery/index.ts';
import { EVENT_TYPES, type LogEvent } from '../../src/cluster/event-log.ts';
import { CLUSTER_LIMITS } from '../../src/cluster/state.ts';
import { InputError } from '../errors.ts';

export const EVENT_LOG_FORMAT = 'heal-event-log';
export const EVENT_LOG_VERSION = 1;

const int = z.number().int().min(0);
const ts = z.union([z.tuple([int, int]), z.tuple([int, int, int])]);
const key = z.union([int, z.string().min(1)]);
/** A written value: any JSON scalar; null is the initial value every key starts with. */
const value = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const op = z.enum(['read', 'write', 'scope-end']);

const msg = z
  .object({
    type: z.enum(MSG_NAMES),
    from: int.optional(),
    to: int.optional(),
    key: key.optional(),
    ts: ts.optional(),
    value: value.optional(),
    epoch: int.optional(),
    valid: z.boolean().optional(),
    nodes: z.array(int).optional(),
    count: int.optional(),
  })
  .strict();

const common = {
  node: int,
  seq: z.number().int().min(1),
  /** Informational: wall time, vector clock. */
  time: z.number().optional(),
  vc: z.array(int).optional(),
};

const EventLineSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('invoke'), op, key: key.optional(), value: value.optional() }).strict(),
  z.object({ ...common, type: z.literal('ok'), op, key: key.optional(), value: value.optional() }).strict(),
  z.object({ ...common, type: z.literal('send'), msg }).strict(),
  z.object({ ...common, type: z.literal('recv'), msg }).strict(),
  z.object({ ...common, type: z.literal('persist'), key: key.optional(), ts: ts.optional(), value: value.optional() }).strict(),
  z.object({ ...common, type: z.literal('persisted'), key: key.optional(), ts: ts.optional(), value: value.optional() }).strict(),
  z.object({ ...common, type: z.literal('crash') }).strict(),
  z.object({ ...common, type: z.literal('restart'), incarnation: int.optional() }).strict(),
  z.object({ ...common, type: z.literal('view'), epoch: int.optional(), replicas: z.array(int).optional(), shadows: z.array(int).optional() }).strict(),
  z
    .object({ ...common, type: z.literal('recovery'), milestone: z.enum(['mu-applied', 'stream-complete', 'promoted']), key: key.optional(), ts: ts.optional() })
    .strict(),
]);

const MetaLineSchema = z
  .object({
    type: z.literal('meta'),
    format: z.literal(EVENT_LOG_FORMAT),
    version: z.literal(EVENT_LOG_VERSION),
    nodes: z.number().int().min(CLUSTER_LIMITS.nodes.min).max(CLUSTER_LIMITS.nodes.max).optional(),
    keys: z.number().int().min(CLUSTER_LIMITS.keys.min).max(CLUSTER_LIMITS.keys.max).optional(),
    persistency: z.enum(PERSISTENCIES).optional(),
    recovery: z.enum(RECOVERIES).optional(),
    duplicates: z.boolean().optional(),
    /** The recorded network coalesced DURABLE notices (a log the model wrote); default: it delivers each. */
    coalesceDurable: z.boolean().optional(),
    writes: int.optional(),
    reads: int.optional(),
    scopes: int.optional(),
    crashes: z.number().int().min(CLUSTER_LIMITS.crashes.min).max(CLUSTER_LIMITS.crashes.max).optional(),
    /** The event types this log records; others are not expected (default: all). */
    records: z.array(z.enum(EVENT_TYPES as [string, ...string[]])).optional(),
  })
  .strict();

export type MetaLine = z.infer<typeof MetaLineSchema>;

/** A logged event, with keys and values interned (value 0 is the initial value). */
export interface Logged {
  readonly node: number;
  readonly seq: number;
  readonly line: number;
  readonly event: LogEvent;
  /** The line as written, for messages. */
  readonly raw: string;
}

export interface ParsedLog {
  readonly file: string;
  readonly meta: MetaLine | null;
  readonly events: readonly Logged[];
  /** Interned value index -> the value as logged (index 0: null, the initial value). */
  readonly values: readonly unknown[];
  /** Interned key index -> key as logged. */
  readonly keys: readonly (string | number)[];
}

function issueText(error: z.ZodError): string {
  const i = error.issues[0]!;
  const path = i.path.length === 0 ? '(line)' : i.path.map(String).join('.');
  return `field '${path}': ${i.message}`;
}

/** The small integer standing for `item` (found by `key`), handing out the next one the first time. */
function intern<T>(index: Map<string, number>, items: T[], key: string, item: T): number {
  let idx = index.get(key);
  if (idx === undefined) {
    idx = items.length;
    index.set(key, idx);
    items.push(item);
  }
  return idx;
}

export function parseLog(text: string, file: string): ParsedLog {
  const lines = text.split('\n');
  let meta: MetaLine | null = null;
  const events: Logged[] = [];
  const valueIndex = new Map<string, number>([['null', 0]]);
  const values: unknown[] = [null];
  let keyKind: 'number' | 'string' | null = null;
  const keyIndex = new Map<string, number>();
  const keys: (string | number)[] = [];
  const where = (n: number) => `${file}:${n}`;

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new InputError(`${where(n)}: not valid JSON (${(e as Error).message})`);
    }
    if ((json as { type?: unknown } | null)?.type === 'meta') {
      if (events.length > 0 || meta !== null) throw new InputError(`${where(n)}: field 'type': a meta line may only come first`);
      const m = MetaLineSchema.safeParse(json);
      if (!m.success) throw new InputError(`${where(n)}: ${issueText(m.error)}`);
      meta = m.data;
      continue;
    }
    const parsed = EventLineSchema.safeParse(json);
    if (!parsed.success) throw new InputError(`${where(n)}: ${issueText(parsed.error)}`);
    const e = parsed.data;
    const internValue = (v: unknown): number => intern(valueIndex, values, JSON.stringify(v), v);
    const internKey = (k: string | number, field: string): number => {
      const kind = typeof k === 'number' ? 'number' : 'string';
      if (keyKind !== null && keyKind !== kind) {
        throw new InputError(`${where(n)}: field '${field}': keys must be all integers or all strings, got ${JSON.stringify(k)}`);
      }
      keyKind = kind;
      return typeof k === 'number' ? k : intern(keyIndex, keys, k, k);
    };
    const kv = (k: string | number | undefined, field = 'key') => (k === undefined ? {} : { key: internKey(k, field) });
    const vv = (v: unknown) => (v === undefined ? {} : { value: internValue(v) });
    let event: LogEvent;
    switch (e.type) {
      case 'invoke':
      case 'ok':
        event = { type: e.type, op: e.op, ...kv(e.key), ...vv(e.value) };
        break;
      case 'send':
      case 'recv': {
        const { key: k, value: v, ...rest } = e.msg;
        event = { type: e.type, msg: { ...rest, ...kv(k, 'msg.key'), ...vv(v) } };
        break;
      }
      case 'persist':
      case 'persisted':
        event = { type: e.type, ...kv(e.key), ...(e.ts ? { ts: e.ts } : {}), ...vv(e.value) };
        break;
      case 'crash':
        event = { type: 'crash' };
        break;
      case 'restart':
        event = { type: 'restart', ...(e.incarnation !== undefined ? { incarnation: e.incarnation } : {}) };
        break;
      case 'view':
        event = { type: 'view', ...(e.epoch !== undefined ? { epoch: e.epoch } : {}), ...(e.replicas ? { replicas: e.replicas } : {}), ...(e.shadows ? { shadows: e.shadows } : {}) };
        break;
      case 'recovery':
        event = { type: 'recovery', milestone: e.milestone, ...kv(e.key), ...(e.ts ? { ts: e.ts } : {}) };
        break;
    }
    events.push({ node: e.node, seq: e.seq, line: n, event, raw });
  }
  if (keyKind === 'number') for (let k = 0; k < 16; k++) keys.push(k);
  return { file, meta, events, values, keys };
}

export function readLog(file: string): ParsedLog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read the log (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
  return parseLog(text, file);
}
