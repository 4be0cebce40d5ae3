/**
 * Saving and loading trace files. Saving writes a temporary file and renames it, so a
 * reader never sees half a trace. Loading turns every problem into one TraceFileError
 * naming the file and the field, which the CLI reports as bad input (exit 2).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { projectFile } from '../locate.ts';
import { canonicalJson, configHash } from './canonical-json.ts';
import { TRACE_FORMAT_VERSION, TraceSchema, type Trace } from './schema.ts';

export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

let cachedToolVersion: string | undefined;

export function toolVersion(): string {
  if (cachedToolVersion === undefined) {
    const pkg = JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version?: unknown };
    cachedToolVersion = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  }
  return cachedToolVersion;
}

export function traceFileName(property: string, model: string, config: unknown): string {
  return `${property.replace(/[^A-Za-z0-9_.-]/g, '_')}-${configHash(model, config)}.json`;
}

/**
 * Stable text: fixed key order, one action and one step per line, so a diff of two
 * versions of a trace is readable and saving the same trace twice gives the same bytes.
 */
export function formatTrace(trace: Trace): string {
  const lines = (items: readonly unknown[]): string =>
    items.length === 0 ? '[]' : `[\n${items.map((i) => `    ${canonicalJson(i)}`).join(',\n')}\n  ]`;
  const field = (name: string, text: string): string => `  ${JSON.stringify(name)}: ${text}`;
  return (
    [
      '{',
      [
        field('formatVersion', JSON.stringify(trace.formatVersion)),
        field('toolVersion', JSON.stringify(trace.toolVersion)),
        field('model', JSON.stringify(trace.model)),
        field('config', canonicalJson(trace.config)),
        field('mutant', JSON.stringify(trace.mutant)),
        field('property', JSON.stringify(trace.property)),
        field('message', JSON.stringify(trace.message)),
        field('foundBy', canonicalJson(trace.foundBy)),
        field('initialIndex', JSON.stringify(trace.initialIndex)),
        field('actions', lines(trace.actions)),
        field('steps', lines(trace.steps)),
      ].join(',\n'),
      '}',
    ].join('\n') + '\n'
  );
}

/** Writes `<dir>/<property>-<config hash>.json` atomically; returns the path. */
export function saveTrace(dir: string, trace: Omit<Trace, 'formatVersion' | 'toolVersion'>): string {
  const full: Trace = { formatVersion: TRACE_FORMAT_VERSION, toolVersion: toolVersion(), ...trace };
  const checked = TraceSchema.safeParse(full);
  if (!checked.success) throw new Error(`refusing to save an invalid trace: ${describeIssues(checked.error)}`);
  mkdirSync(dir, { recursive: true });
  const name = traceFileName(trace.property, trace.model, trace.config);
  const path = join(dir, name);
  // A run killed mid-write leaves its temporary behind; the next write of the same target clears it.
  for (const f of readdirSync(dir)) if (f.startsWith(`${name}.`) && f.endsWith('.tmp')) rmSync(join(dir, f), { force: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, formatTrace(full));
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  return path;
}

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out === '' ? '(top level)' : out;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `field '${issuePath(i.path)}': ${i.message}`).join('; ');
}

export function parseTrace(text: string, file: string): Trace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TraceFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  // Say "wrong version" before listing field errors a newer format would cause.
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (json !== null && typeof json === 'object' && version !== TRACE_FORMAT_VERSION) {
    throw new TraceFileError(
      `${file}: field 'formatVersion': expected ${TRACE_FORMAT_VERSION}, got ${JSON.stringify(version) ?? 'nothing'}`,
    );
  }
  const parsed = TraceSchema.safeParse(json);
  if (!parsed.success) throw new TraceFileError(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function loadTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new TraceFileError(`${file}: cannot read trace file (${code ?? (e as Error).message})`);
  }
  return parseTrace(text, file);
}
