/**
 * DIR/cluster.json as `heal cluster` writes it (runtime contract): where the nodes,
 * the membership service and the control port listen. Read again after a restart
 * (the supervisor rewrites it with the new pid; ports stay).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

const Port = z.number().int().min(1).max(65535);
const Endpoint = z.looseObject({ host: z.string().min(1), port: Port });

export const ClusterFile = z.looseObject({
  version: z.literal(1),
  persistency: z.string(),
  recovery: z.string(),
  keys: z.number().int().min(1),
  valueBytes: z.number().int().min(0),
  nodes: z
    .array(z.looseObject({ id: z.number().int().min(0), host: z.string().min(1), clientPort: Port, peerPort: Port, pid: z.number().int(), data: z.string() }))
    .min(1),
  membership: z.looseObject({ host: z.string(), port: Port, pid: z.number().int() }),
  control: Endpoint,
});
export type ClusterFile = z.infer<typeof ClusterFile>;

/** cluster.json missing or malformed; the CLI shows the message as a usage error (exit 2). */
export class ClusterFileError extends Error {
  override readonly name = 'ClusterFileError';
}

export function clusterFilePath(dir: string): string {
  return join(dir, 'cluster.json');
}

/** The cluster description, or one ClusterFileError naming the file and the field that is wrong. */
export function readClusterFile(dir: string): ClusterFile {
  const path = clusterFilePath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ClusterFileError(`--cluster: cannot read ${path} (${(e as { code?: string }).code ?? (e as Error).message}); is 'heal cluster --data ${dir}' running?`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ClusterFileError(`${path}: not JSON (${(e as Error).message})`);
  }
  const parsed = ClusterFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClusterFileError(`${path}: field '${issue.path.join('.') || '(top)'}': ${issue.message}`);
  }
  return parsed.data;
}
