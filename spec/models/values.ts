/** Value shapes shared by the register-like models. */
import * as z from 'zod';
import type { HistoryValue } from '../history.ts';

export const scalar: z.ZodType<HistoryValue> = z.union([z.null(), z.number(), z.bigint(), z.string(), z.boolean()], {
  error: 'expected nil, a number, a string or a boolean',
});
export const anyValue: z.ZodType<HistoryValue> = z.custom<HistoryValue>(() => true);
export const nothing: z.ZodType<HistoryValue> = z.null({ error: 'expected nil (null)' });
export const pair: z.ZodType<HistoryValue> = z.tuple([scalar, scalar], { error: 'expected [from to]' });
