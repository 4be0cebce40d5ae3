/**
 * `heal check --checkpoint DIR` / `--resume DIR`: one directory per check, holding the
 * flags it was started with (check.json), one checkpoint file per run that has not ended
 * (<persistency>-<recovery>.ckpt, written by checker/explore/checkpoint.ts) and one report
 * per run that has (<...>.done.json), so that the ten runs of a check can be carried to
 * the end across sessions. Every file names the tool version and the run's configuration;
 * a resume under another one is refused (exit 2), never silently mixed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CheckpointOptions } from '../checker/explore/checkpoint.ts';
import { InputError } from './errors.ts';
import { CHECK_OPTIONS, type ExploreFlags } from './flags.ts';
import type { RunPlan } from './models/index.ts';
import { writeAtomic } from './write-atomic.ts';

const ARGS_FILE = 'check.json';

export function toolVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return `heal-ref ${pkg.version ?? '?'}`;
}

/** The flags a run under `--resume DIR` is continued with: those DIR was started with, then these. */
export function resumedArgv(argv: string[]): string[] {
  const at = argv.findIndex((a) => a === '--resume' || a.startsWith('--resume='));
  if (at < 0) return argv;
  const dir = argv[at].startsWith('--resume=') ? argv[at].slice('--resume='.length) : argv[at + 1];
  if (dir === undefined || dir.startsWith('--')) return argv;
  const file = path.join(dir, ARGS_FILE);
  if (!fs.existsSync(file)) throw new InputError(`--resume ${dir}: no ${ARGS_FILE} there (not a directory made by heal check --checkpoint)`);
  let saved: { version?: unknown; argv?: unknown };
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof saved;
  } catch {
    throw new InputError(`${file}: not JSON`);
  }
  if (saved.version !== toolVersion()) {
    throw new InputError(`--resume ${dir}: checkpoint taken by ${String(saved.version)}, this is ${toolVersion()}; start afresh in another directory`);
  }
  if (!Array.isArray(saved.argv) || !saved.argv.every((a) => typeof a === 'string')) throw new InputError(`${file}: field 'argv': expected an array of strings`);
  // A flag typed again now replaces the saved one (a repeated flag is refused as
  // ambiguous), so that a changed bound reaches the config comparison and is named there.
  const typed = new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]));
  const kept: string[] = [];
  const stored = saved.argv as string[];
  for (let i = 0; i < stored.length; i++) {
    const name = stored[i].startsWith('--') ? stored[i].slice(2).split('=')[0] : null;
    if (name !== null && typed.has(name)) {
      const takesValue = (CHECK_OPTIONS as Record<string, { type: string }>)[name]?.type === 'string' && !stored[i].includes('=');
      if (takesValue) i++;
      continue;
    }
    kept.push(stored[i]);
  }
  return [...kept, ...argv];
}

/** Prepares DIR for a new check (refusing one that holds another check) or checks it for a resume. */
export function openCheckpointDir(flags: ExploreFlags, argv: readonly string[]): void {
  const dir = flags.checkpointDir!;
  if (flags.resume) {
    // A killed run leaves its frontier spill files (they are not part of the checkpoint).
    for (const f of fs.readdirSync(dir)) if (f.startsWith('heal-frontier-')) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    return;
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f === ARGS_FILE || f.endsWith('.ckpt') || f.endsWith('.done.json'))) {
    throw new InputError(`--checkpoint ${dir}: it already holds a check; continue it with --resume ${dir}, or choose another directory`);
  }
  fs.mkdirSync(dir, { recursive: true });
  const keep = argv.filter((a, i) => !isCheckpointFlag(a) && !isCheckpointFlag(argv[i - 1] ?? ''));
  writeAtomic('--checkpoint', path.join(dir, ARGS_FILE), `${JSON.stringify({ version: toolVersion(), argv: keep })}\n`);
}

function isCheckpointFlag(a: string): boolean {
  return a === '--checkpoint' || a === '--resume' || a.startsWith('--checkpoint=') || a.startsWith('--resume=');
}

function base(flags: ExploreFlags, plan: RunPlan): string {
  const name = plan.persistency === null ? plan.model : `${plan.persistency}-${plan.recovery}`;
  return path.join(flags.checkpointDir!, plan.mutant ? `${name}-${plan.mutant}` : name);
}

/** What must match for a checkpoint to be continued: the tool, the model, what is explored. */
function identity(flags: ExploreFlags, plan: RunPlan): Record<string, unknown> {
  return { tool: toolVersion(), model: plan.model, config: plan.config, symmetry: flags.symmetry, maxDepth: flags.maxDepth ?? null };
}

export function checkpointOptions(flags: ExploreFlags, plan: RunPlan): CheckpointOptions {
  return {
    file: `${base(flags, plan)}.ckpt`,
    everySeconds: (flags.checkpointEveryMinutes ?? 10) * 60,
    identity: identity(flags, plan),
    resume: flags.resume === true,
  };
}

/** The report of a run that ended in an earlier session, if any. */
export function doneReport<R>(flags: ExploreFlags, plan: RunPlan): R | null {
  const file = `${base(flags, plan)}.done.json`;
  if (!fs.existsSync(file)) return null;
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { identity: unknown; report: R };
  if (JSON.stringify(saved.identity) !== JSON.stringify(identity(flags, plan))) {
    throw new InputError(`${file}: the run it records had another configuration or tool version (${JSON.stringify(saved.identity)})`);
  }
  return saved.report;
}

/** Records a run that ended (ok or violation) and drops its checkpoint. */
export function saveDone(flags: ExploreFlags, plan: RunPlan, report: unknown): void {
  writeAtomic('--checkpoint', `${base(flags, plan)}.done.json`, `${JSON.stringify({ identity: identity(flags, plan), report })}\n`);
  // A one-worker checkpoint is a file, a parallel one a directory (with staged copies after a kill).
  const name = path.basename(`${base(flags, plan)}.ckpt`);
  for (const f of fs.readdirSync(flags.checkpointDir!)) {
    if (f === name || f.startsWith(`${name}.tmp-`) || f.startsWith(`${name}.old-`)) fs.rmSync(path.join(flags.checkpointDir!, f), { recursive: true, force: true });
  }
}
