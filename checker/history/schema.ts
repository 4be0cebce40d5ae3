/** zod shapes shared by the history formats, and one-line messages from zod errors. */
import * as z from 'zod';
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';

const historyValue: z.ZodType<HistoryValue> = z.lazy(() =>
  z.union([z.null(), z.number(), z.bigint(), z.string(), z.boolean(), z.array(historyValue)], {
    error: 'expected null, a number, a string, a boolean or an array of these',
  }),
);

/** One event as written in a file; other fields (Jepsen's :error, :node, ...) are ignored. */
export const eventSchema = z.object(
  {
  process: z.number({ error: 'expected a non-negative integer (the client)' }).int().nonnegative(),
  type: z.enum(['invoke', 'ok', 'fail', 'info'], { error: 'expected invoke, ok, fail or info' }),
  f: z.string({ error: 'expected the operation name, e.g. read, write, cas' }).min(1),
  value: historyValue.optional(),
  key: z.union([z.string(), z.number(), z.bigint()], { error: 'expected a string or an integer' }).optional(),
  time: z.union([z.number(), z.bigint()], { error: 'expected a number' }).optional(),
  index: z.union([z.number(), z.bigint()], { error: 'expected a number' }).optional(),
  },
  { error: 'expected an event object with process, type, f and value' },
);

export function toHistoryEvent(e: z.infer<typeof eventSchema>): HistoryEvent {
  return {
    process: e.process,
    type: e.type,
    f: e.f,
    value: e.value ?? null,
    ...(e.key !== undefined ? { key: String(e.key) } : {}),
    ...(e.time !== undefined ? { time: Number(e.time) } : {}),
  };
}

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

function isHistoryValue(v: unknown): boolean {
  if (v === null) return true;
  const t = typeof v;
  if (t === 'number') return Number.isFinite(v);
  if (t === 'bigint' || t === 'string' || t === 'boolean') return true;
  return Array.isArray(v) && v.every(isHistoryValue);
}

// zod's number() refuses NaN and the infinities.
const isNumberLike = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint';

/**
 * The event, when it plainly has eventSchema's shape; undefined otherwise, and
 * the caller asks zod, whose message says what is wrong. zod costs about 5 µs
 * an event, most of the parse time of a history of a few hundred thousand.
 * Accepts nothing eventSchema rejects (test/history/parsers.test.ts compares them).
 */
export function fastEvent(e: Record<string, unknown>): HistoryEvent | undefined {
  const { process, type, f, value, key, time, index } = e;
  if (typeof process !== 'number' || !Number.isSafeInteger(process) || process < 0) return undefined;
  if (typeof type !== 'string' || !TYPES.has(type) || typeof f !== 'string' || f === '') return undefined;
  if (value !== undefined && !isHistoryValue(value)) return undefined;
  if (key !== undefined && typeof key !== 'string' && (typeof key !== 'number' || !Number.isFinite(key)) && typeof key !== 'bigint') return undefined;
  if (!isNumberLike(time) || !isNumberLike(index)) return undefined;
  return {
    process,
    type: type as HistoryEvent['type'],
    f,
    value: (value ?? null) as HistoryValue,
    ...(key !== undefined ? { key: String(key) } : {}),
    ...(time !== undefined ? { time: Number(time) } : {}),
  };
}

/** "field 'type': expected one of ..., got 'done'" from the first zod issue. */
export function zodProblem(error: z.ZodError, fieldPrefix = '', input?: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  let got: unknown = input;
  for (const k of issue.path) got = got !== null && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[k] : undefined;
  const gotText = input === undefined ? '' : `, got ${got === undefined ? 'nothing' : show(got)}`;
  return path === '' ? `${issue.message}${gotText}` : `field '${fieldPrefix}${path}': ${issue.message}${gotText}`;
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  const text = (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
