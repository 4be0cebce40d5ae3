/** zod shapes shared by the history formats, and one-line messages from zod errors. */
import * as z from 'zod';
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';

export const historyValue: z.ZodType<HistoryValue> = z.lazy(() =>
  z.union([z.null(), z.number(), z.string(), z.boolean(), z.array(historyValue)]),
);

/** One event as written in a file; other fields (Jepsen's :error, :node, ...) are ignored. */
export const eventSchema = z.object({
  process: z.number().int().nonnegative(),
  type: z.enum(['invoke', 'ok', 'fail', 'info']),
  f: z.string().min(1),
  value: historyValue.optional(),
  key: z.union([z.string(), z.number()]).optional(),
  time: z.number().optional(),
  index: z.number().optional(),
});

export function toHistoryEvent(e: z.infer<typeof eventSchema>): HistoryEvent {
  return {
    process: e.process,
    type: e.type,
    f: e.f,
    value: e.value ?? null,
    ...(e.key !== undefined ? { key: String(e.key) } : {}),
    ...(e.time !== undefined ? { time: e.time } : {}),
  };
}

/** "field 'type': expected one of ..." from the first zod issue. */
export function zodProblem(error: z.ZodError, fieldPrefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `field '${fieldPrefix}${path}': ${issue.message}`;
}
