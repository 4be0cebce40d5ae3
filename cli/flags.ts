/**
 * Shared command-line parsing: `node:util` parseArgs in strict mode finds the flags,
 * zod says whether each value is what the flag expects. Every failure becomes one
 * InputError naming the flag and what was expected, so the dispatcher exits 2.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { InputError } from './errors.ts';
import { PERSISTENCIES, type Persistency } from '../src/protocol/persistency/index.ts';
import { RECOVERIES, type Recovery } from '../src/protocol/recovery/index.ts';
import type { ExploreOptions } from '../checker/explore/types.ts';

export type FlagOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * A command's parseArgs options from its flag names: `values` take a value (checked by
 * the typed readers below), `switches` do not. Every command has --json and --help (-h).
 */
export function flagOptions(values: readonly string[], switches: readonly string[] = []): FlagOptions {
  const out: FlagOptions = {};
  for (const name of values) out[name] = { type: 'string' };
  for (const name of [...switches, 'json']) out[name] = { type: 'boolean' };
  out.help = { type: 'boolean', short: 'h' };
  return out;
}

export interface RawFlags {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/**
 * `--nodes -1` as `--nodes=-1`: parseArgs takes a value starting with a dash for a
 * forgotten value and answers with its own hint; joined, the value reaches the flag's
 * own check, which says what the flag expects.
 */
function joinNegativeValues(argv: readonly string[], options: FlagOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseRaw(argv: string[], options: FlagOptions, allowPositionals: boolean, command: string): RawFlags {
  try {
    const { values, positionals, tokens } = parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals, tokens: true });
    // parseArgs keeps the last of a repeated flag; which one the user meant is a guess.
    const seen = new Map<string, string>();
    for (const t of tokens) {
      if (t.kind !== 'option') continue;
      const shown = t.value === undefined ? t.rawName : `${t.rawName} ${t.value}`;
      const first = seen.get(t.name);
      if (first !== undefined) {
        throw new InputError(`--${t.name} given twice ('${first}', then '${shown}'): give it once`);
      }
      seen.set(t.name, shown);
    }
    return { values: values as RawFlags['values'], positionals };
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new InputError(`unknown option '${flag}' (see 'heal ${command} --help')`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new InputError(`${message.replace(/^Option /, 'option ')} (see 'heal ${command} --help')`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new InputError(`unexpected argument: ${message} (see 'heal ${command} --help')`);
    }
    throw new InputError(`${message} (see 'heal ${command} --help')`);
  }
}

function describeRange(min: number, max: number | undefined): string {
  return max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
}

/** An integer flag; undefined when absent. */
export function intFlag(raw: RawFlags, name: string, min: number, max?: number): number | undefined {
  const value = raw.values[name];
  if (value === undefined) return undefined;
  const bounded = max === undefined ? z.number().int().min(min) : z.number().int().min(min).max(max);
  const parsed = z.string().regex(/^-?\d+$/).transform(Number).pipe(bounded).safeParse(value);
  if (!parsed.success) {
    throw new InputError(`--${name}: expected ${describeRange(min, max)}, got '${String(value)}'`);
  }
  return parsed.data;
}

/** A positive number (seconds, megabytes) that may have a fractional part. */
export function positiveNumberFlag(raw: RawFlags, name: string): number | undefined {
  const value = raw.values[name];
  if (value === undefined) return undefined;
  const parsed = z.string().regex(/^\d+(\.\d+)?$/).transform(Number).pipe(z.number().positive()).safeParse(value);
  if (!parsed.success) throw new InputError(`--${name}: expected a positive number, got '${String(value)}'`);
  return parsed.data;
}

export function enumFlag<T extends string>(raw: RawFlags, name: string, allowed: readonly T[]): T | undefined {
  const value = raw.values[name];
  if (value === undefined) return undefined;
  const parsed = z.enum(allowed as [T, ...T[]]).safeParse(value);
  if (!parsed.success) {
    throw new InputError(`--${name}: expected one of ${allowed.join(', ')}, got '${String(value)}'`);
  }
  return parsed.data;
}

export function stringFlag(raw: RawFlags, name: string): string | undefined {
  const value = raw.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new InputError(`--${name}: expected a non-empty value`);
  return value;
}

export function boolFlag(raw: RawFlags, name: string): boolean {
  return raw.values[name] === true;
}

/** Which flags the user actually typed, to reject flags that do not apply to the chosen model. */
function givenFlags(raw: RawFlags): Set<string> {
  return new Set(Object.keys(raw.values).filter((k) => raw.values[k] !== undefined));
}

// ---------------------------------------------------------------- heal check

/** Where `heal check --mutant` saves traces by default (ignored by git, never replayed by the tests). */
export const MUTANT_TRACES = '.heal-tmp/mutant-traces';

/** From the registries in src/protocol/{persistency,recovery}/index.ts. */
export const PERSISTENCY_MODELS = PERSISTENCIES;
export const RECOVERY_MODES = RECOVERIES;
const STRATEGIES = ['bfs', 'dfs', 'random'] as const;
export type PersistencyName = Persistency;
export type RecoveryName = Recovery;

/** The HEAL model's flags; heal conform takes them too, with the same meaning. */
export const MODEL_VALUE_FLAGS = ['persistency', 'recovery', 'nodes', 'keys', 'writes', 'reads', 'scopes', 'crashes', 'mutant'] as const;

export const CHECK_OPTIONS = flagOptions(
  [
    'model', ...MODEL_VALUE_FLAGS, 'bounds', 'wide-walks', 'max-version', 'strategy', 'seed', 'walks', 'max-states', 'max-depth',
    'time-limit', 'memory-limit', 'frontier-memory', 'checkpoint', 'checkpoint-every', 'resume', 'workers', 'out',
  ],
  ['duplicates', 'swarm', 'symmetry'],
);

/** Flags common to every model: how to explore and where to report. */
export interface ExploreFlags extends Omit<ExploreOptions, 'onProgress' | 'checkpoint'> {
  readonly out: string;
  readonly json: boolean;
  /** --checkpoint DIR, or the DIR of --resume DIR. */
  readonly checkpointDir?: string;
  readonly checkpointEveryMinutes?: number;
  readonly resume?: boolean;
}

export interface CheckFlags {
  readonly model: string;
  readonly explore: ExploreFlags;
  /** The raw flags, for the model registry to read its own model's flags from. */
  readonly raw: RawFlags;
  readonly given: ReadonlySet<string>;
  readonly help: boolean;
}

/**
 * More threads than this only compete for the same cores (and each holds its own model
 * and frontier): twice the cores leaves room for hyperthreads and measuring.
 */
export function maxWorkers(): number {
  return 2 * availableParallelism();
}

/**
 * Exploration flags that mean something only with some other choice: given without it
 * they would be silently ignored, so they are refused. One rule per line; `when` sees
 * the parsed exploration flags.
 */
const EXPLORE_FLAG_RULES: readonly { flag: string; when: (e: ExploreFlags) => boolean; why: (e: ExploreFlags) => string }[] = [
  { flag: 'walks', when: (e) => e.strategy === 'random', why: (e) => `it counts random walks; it does not apply to --strategy ${e.strategy}` },
  // --seed under bfs seeds the wide walks of a plain run; cli/commands/check.ts refuses it where there are none.
  { flag: 'swarm', when: (e) => e.strategy === 'random', why: (e) => `swarm walks are a random strategy; add --strategy random (not ${e.strategy})` },
  { flag: 'workers', when: (e) => e.workers === 1 || e.strategy === 'bfs', why: (e) => `several workers explore breadth-first only, not --strategy ${e.strategy}` },
];

export function parseCheckFlags(argv: string[]): CheckFlags {
  const raw = parseRaw(argv, CHECK_OPTIONS, false, 'check');
  const explore: ExploreFlags = {
    strategy: enumFlag(raw, 'strategy', STRATEGIES) ?? 'bfs',
    seed: intFlag(raw, 'seed', 0, 2 ** 32 - 1) ?? 1,
    walks: intFlag(raw, 'walks', 1),
    swarm: boolFlag(raw, 'swarm'),
    maxStates: intFlag(raw, 'max-states', 1),
    maxDepth: intFlag(raw, 'max-depth', 1),
    timeLimitSeconds: positiveNumberFlag(raw, 'time-limit'),
    memoryLimitMB: positiveNumberFlag(raw, 'memory-limit'),
    frontierMemoryMB: positiveNumberFlag(raw, 'frontier-memory'),
    workers: intFlag(raw, 'workers', 1) ?? 1,
    symmetry: boolFlag(raw, 'symmetry'),
    // traces/ is the repository's regression folder, replayed by the tests: a mutant's
    // counterexamples are expected, not regressions, so they go elsewhere unless asked.
    out: stringFlag(raw, 'out') ?? (raw.values.mutant !== undefined ? MUTANT_TRACES : 'traces'),
    json: boolFlag(raw, 'json'),
    checkpointDir: stringFlag(raw, 'resume') ?? stringFlag(raw, 'checkpoint'),
    checkpointEveryMinutes: positiveNumberFlag(raw, 'checkpoint-every'),
    resume: stringFlag(raw, 'resume') !== undefined,
  };
  const resume = stringFlag(raw, 'resume');
  const checkpoint = stringFlag(raw, 'checkpoint');
  if (resume !== undefined && checkpoint !== undefined && resume !== checkpoint) {
    throw new InputError(`--resume ${resume} --checkpoint ${checkpoint}: a resumed check keeps checkpointing into its own directory; give one of them`);
  }
  if (explore.checkpointDir !== undefined && explore.strategy !== 'bfs') {
    throw new InputError(`--checkpoint/--resume: checkpoints are taken by breadth-first search only, not --strategy ${explore.strategy}`);
  }
  if (explore.checkpointEveryMinutes !== undefined && explore.checkpointDir === undefined) {
    throw new InputError('--checkpoint-every: needs --checkpoint DIR');
  }
  if (explore.workers > maxWorkers()) {
    throw new InputError(
      `--workers ${explore.workers}: at most ${maxWorkers()} on this machine (twice its ${availableParallelism()} cores; more threads only compete for them)`,
    );
  }
  const given = givenFlags(raw);
  for (const rule of EXPLORE_FLAG_RULES) {
    if (given.has(rule.flag) && !rule.when(explore)) {
      const value = raw.values[rule.flag];
      throw new InputError(`--${rule.flag}${typeof value === 'string' ? ` ${value}` : ''}: ${rule.why(explore)}`);
    }
  }
  return {
    model: stringFlag(raw, 'model') ?? 'heal',
    explore,
    raw,
    given,
    help: boolFlag(raw, 'help'),
  };
}
