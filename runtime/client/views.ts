/**
 * DIR/views.jsonl (runtime contract): one line per view the membership service
 * installed, `{t, epoch, members, roles, cause, node}`, t in ms since the cluster started.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

export const ViewLine = z.looseObject({
  t: z.number(),
  epoch: z.number().int(),
  members: z.array(z.number().int()),
  roles: z.record(z.string(), z.string()).optional(),
  cause: z.string().optional(),
  node: z.number().int().optional(),
});
export type ViewLine = z.infer<typeof ViewLine>;

/** The views so far; a last line cut short by a concurrent append is left for the next read. */
export function readViews(dir: string): ViewLine[] {
  let text: string;
  try {
    text = readFileSync(join(dir, 'views.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const out: ViewLine[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      if (i === lines.length - 1) return;
      throw new Error(`${join(dir, 'views.jsonl')}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    const parsed = ViewLine.safeParse(json);
    if (!parsed.success) throw new Error(`${join(dir, 'views.jsonl')}:${i + 1}: field '${parsed.error.issues[0]!.path.join('.')}': ${parsed.error.issues[0]!.message}`);
    out.push(parsed.data);
  });
  return out;
}

/** The restart of `node` after view time `afterT`, and the promotion that followed it. */
export function recoveryViews(views: readonly ViewLine[], node: number, afterT = -Infinity): { restart?: ViewLine; promote?: ViewLine } {
  const restart = views.find((v) => v.cause === 'restart' && v.node === node && v.t >= afterT);
  if (!restart) return {};
  const promote = views.find((v) => v.cause === 'promote' && v.node === node && v.t >= restart.t);
  return promote ? { restart, promote } : { restart };
}
