/**
 * The saved counterexample format (spec/trace-format.md is the prose). Version 1.
 * Everything needed to rebuild the exact model is inside: the registry name of the
 * model, its full configuration (mutant included), and the actions as plain JSON.
 */
import * as z from 'zod';

export const TRACE_FORMAT_VERSION = 1;

const FoundBySchema = z.object({
  strategy: z.enum(['bfs', 'dfs', 'random', 'external']),
  seed: z.number().int().nullable(),
  /** Length of the counterexample before the shrinker cut it (null: not shrunk). */
  shrunkFrom: z.number().int().min(0).nullable(),
});

export const TraceSchema = z
  .object({
    formatVersion: z.literal(TRACE_FORMAT_VERSION),
    toolVersion: z.string().min(1),
    model: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    mutant: z.string().min(1).nullable(),
    property: z.string().min(1),
    message: z.string(),
    foundBy: FoundBySchema,
    initialIndex: z.number().int().min(0),
    actions: z.array(z.unknown()),
    /** One readable line per action (describeAction at save time); informational. */
    steps: z.array(z.string()),
  })
  .superRefine((t, ctx) => {
    if (t.steps.length !== t.actions.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `expected one line per action (${t.actions.length}), got ${t.steps.length}`,
      });
    }
  });

export type Trace = z.infer<typeof TraceSchema>;
export type FoundBy = z.infer<typeof FoundBySchema>;
