/**
 * `heal check`: plan one run per persistency x recovery combination (or one run of the
 * Hermes TLA+ port), explore each, save every counterexample as a trace file, and report.
 * Exit 0 when every property holds everywhere explored, 1 on a violation, 2 on bad
 * input, 3 when a bound stopped a run before it covered the whole state space.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadModel } from '../../checker/load-model.ts';
import type { Model } from '../../checker/model.ts';
import type { ExploreOptions, ExploreResult, Progress } from '../../checker/explore/types.ts';
import { saveCounterexample } from '../../checker/trace/counterexample.ts';
import { EXIT_OK, EXIT_UNKNOWN, EXIT_VIOLATION, InputError } from '../errors.ts';
import { intFlag, parseCheckFlags, PERSISTENCY_MODELS, RECOVERY_MODES, type ExploreFlags } from '../flags.ts';
import { WITH_SCOPE_ENDS } from '../../src/protocol/persistency/index.ts';
import { planRuns, type RunPlan } from '../models/index.ts';
import { BOUND_PROFILES, BOUND_PROFILE_NAMES, describeBounds } from '../../model/heal-bounds.ts';
import { DEFAULT_WIDE_WALKS, WALK_BOUNDS_TEXT, defaultWideWalks, isPlainCheck, walkFlags, walkPlans } from './check-walks.ts';
import { REDELIVERY_BOUNDS_TEXT, redeliveryFlags, redeliveryPlans } from './check-redelivery.ts';

const PROFILE_HELP = BOUND_PROFILE_NAMES.map((name) => `      ${name.padEnd(9)} ${describeBounds(BOUND_PROFILES[name])}`).join('\n');

/**
 * The periodic line for logs (stderr not a terminal, or --json): like TLC's, a line every
 * few seconds, so a long run shows it is alive and how fast it goes.
 */
const LOG_PROGRESS_SECONDS = 5;
import { CheckpointError } from '../../checker/explore/checkpoint.ts';
import { checkpointOptions, doneReport, openCheckpointDir, resumedArgv, saveDone } from '../checkpoint-dir.ts';

const HELP = `usage: heal check [options]

With no options: every persistency model x recovery at the quick bounds, searched to
the end (a few seconds; no crash: a crash multiplies each space by a thousand or more,
see the README), then each again with duplicate delivery at smaller bounds
(${REDELIVERY_BOUNDS_TEXT}), searched to the end
(about a second), then ${DEFAULT_WIDE_WALKS} seeded swarm walks per combination at the wide bounds,
crashes included (about 40 s). Exit 0 means both searches hold every property
and no walk found a violation.

model:
  --model heal|hermes-tla     which model (default heal)
  --persistency P             ${`${[...PERSISTENCY_MODELS, 'all'].join('|')} (default all)`.padEnd(57)}[heal]
  --recovery R                ${`${[...RECOVERY_MODES, 'all'].join('|')} (default all)`.padEnd(57)}[heal]
  --bounds quick|standard|wide
                              a named set of the bounds below (default quick)          [heal]
${PROFILE_HELP}
  --nodes N --keys K          override one bound of the profile                         [heal]
  --writes W --reads R        client operation budgets                                  [heal]
  --scopes S                  ${`scope ends under --persistency ${WITH_SCOPE_ENDS.join('/')} (0 elsewhere)`.padEnd(58)}[heal]
  --crashes C                 crash budget                                              [heal]
  --wide-walks N              after the exhaustive runs, N seeded swarm walks per combination
                              at the wide bounds (default ${DEFAULT_WIDE_WALKS} for a plain 'heal check', 0 once
                              a model, bound, strategy or mutant is given; --seed picks them)  [heal]
  --duplicates                the network may deliver a message more than once          [heal]
  --mutant NAME               a deliberately broken variant (see 'heal mutants'), run in the
                              combinations it applies to, at its own bounds unless a bound
                              or --bounds is given; traces go to .heal-tmp/mutant-traces/ [heal]
  --max-version V             highest write version (default 2)                   [hermes-tla]

exploration:
  --strategy bfs|dfs|random   default bfs (shortest counterexamples)
  --seed S                    seed of the random strategy and of the wide walks (default 1)
  --walks N                   random strategy only: number of walks
  --swarm                     random strategy: each walk weights action kinds at random
                              (some left out), reaching states uniform walks seldom do
  --max-states N --max-depth D --time-limit SEC --memory-limit MB
                              bounds; reaching one makes the run 'incomplete', and a
                              breadth-first run then reports checkedDepth: every state
                              within that many steps was reached and passed every property
  --frontier-memory MB        breadth-first: keep at most this much of the queue of
                              states to expand in memory, the rest in temporary files
                              (default 1024, or a quarter of --memory-limit if less)
  --workers N                 worker threads (default 1; at most twice the cores)
  --checkpoint DIR            write a snapshot of each run (visited states, queue,
                              counters, config, tool version) into DIR, atomically
  --checkpoint-every MIN      minutes between snapshots (default 10; with one worker a
                              run stopped by --time-limit also writes one; with several,
                              snapshots are taken between BFS levels)
  --resume DIR                continue the check DIR holds with the flags it was started
                              with (runs that ended are not run again); refused with exit
                              2 if DIR was made by another version or configuration
  --symmetry                  reduce by value symmetry (heal model; node ids are not
                              symmetric: they break timestamp ties)

output:
  --out DIR                   where counterexample traces are saved (default traces/; with
                              --mutant, .heal-tmp/mutant-traces/, outside the regression folder)
  --json                      print one JSON object as the last line of stdout

Ctrl-C stops the search and reports what it covered (exit 3). With --json or when stderr
is not a terminal, a progress line goes to stderr a second in, then every ${LOG_PROGRESS_SECONDS} seconds.

exit codes: 0 all properties hold, 1 violation (trace saved), 2 bad input or usage,
            3 incomplete (a bound was reached or Ctrl-C; nothing violated within it)`;

/** One run's line of the --json contract: its labels, the explorer's figures, and any violation. */
export interface RunReport extends Omit<ExploreResult, 'counterexample'> {
  readonly model: string;
  readonly persistency: string | null;
  readonly recovery: string | null;
  readonly mutant: string | null;
  /** The properties this run checked (their IDs, spec/properties.md). */
  readonly properties: readonly string[];
  readonly property?: string;
  readonly message?: string;
  /** Where the counterexample was saved; null when saving failed (it was printed instead). */
  readonly trace?: string | null;
  readonly traceSteps?: number;
}

/**
 * Refuse an --out that cannot take a trace before searching, not after: a violation found
 * in an hour must not be lost to EACCES. An absent directory is fine when its nearest
 * existing parent is writable (it is created when the first trace is saved).
 */
function checkOutDir(out: string): void {
  let dir = resolve(out);
  for (;;) {
    let stat;
    try {
      stat = statSync(dir);
    } catch {
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
      continue;
    }
    if (!stat.isDirectory()) throw new InputError(`--out: '${dir === resolve(out) ? out : dir}' exists and is not a directory`);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new InputError(`--out: '${dir}' is not writable, so no counterexample could be saved there (choose another --out)`);
    }
    return;
  }
}

function label(plan: Pick<RunPlan, 'model' | 'persistency' | 'recovery'>): string {
  return plan.persistency === null ? plan.model : `${plan.persistency}/${plan.recovery}`;
}

/** Where this run is among all of this invocation's, e.g. 'run 3/10 synch/heal'. */
function runTag(plan: RunPlan, index: number, count: number): string {
  return count > 1 ? `run ${index + 1}/${count} ${label(plan)}` : label(plan);
}

function logProgressLine(tag: string, p: Progress): string {
  const rssMB = Math.round(process.memoryUsage.rss() / 2 ** 20);
  return (
    `heal check: ${tag}: ${p.distinctStates.toLocaleString('en-US')} distinct, ` +
    `${p.generatedStates.toLocaleString('en-US')} generated, queue ${p.queued.toLocaleString('en-US')}, depth ${p.depth}, ` +
    `${Math.round(p.statesPerSecond).toLocaleString('en-US')} states/s, ${rssMB.toLocaleString('en-US')} MB, ${p.elapsedSeconds.toFixed(0)} s`
  );
}

function progressLine(tag: string, p: Progress): string {
  return (
    `${tag}: ${p.distinctStates.toLocaleString('en-US')} distinct, ` +
    `${p.generatedStates.toLocaleString('en-US')} generated, queue ${p.queued.toLocaleString('en-US')}, ` +
    `depth ${p.depth}, ${Math.round(p.statesPerSecond).toLocaleString('en-US')} states/s, ${p.elapsedSeconds.toFixed(0)} s`
  );
}

function exploreOptions(flags: ExploreFlags, onProgress?: (p: Progress) => void, interrupt?: AbortSignal, plan?: RunPlan): ExploreOptions {
  return {
    ...(interrupt ? { interrupt } : {}),
    strategy: flags.strategy,
    seed: flags.seed,
    workers: flags.workers,
    symmetry: flags.symmetry,
    ...(flags.walks !== undefined ? { walks: flags.walks } : {}),
    ...(flags.swarm ? { swarm: true } : {}),
    ...(flags.maxStates !== undefined ? { maxStates: flags.maxStates } : {}),
    ...(flags.maxDepth !== undefined ? { maxDepth: flags.maxDepth } : {}),
    ...(flags.timeLimitSeconds !== undefined ? { timeLimitSeconds: flags.timeLimitSeconds } : {}),
    ...(flags.memoryLimitMB !== undefined ? { memoryLimitMB: flags.memoryLimitMB } : {}),
    ...(flags.frontierMemoryMB !== undefined ? { frontierMemoryMB: flags.frontierMemoryMB } : {}),
    // Spill files go next to the checkpoints, so that a killed run's are found and removed.
    ...(plan && flags.checkpointDir !== undefined ? { checkpoint: checkpointOptions(flags, plan), spillDir: flags.checkpointDir } : {}),
    ...(onProgress ? { onProgress } : {}),
  };
}

/** Save the counterexample (checker/trace); if the disk refuses it, print it rather than lose it. */
function saveFound(plan: RunPlan, model: Model<unknown, unknown>, result: ExploreResult, flags: ExploreFlags): { path: string | null; steps: number; message: string } {
  const cx = result.counterexample;
  if (!cx) throw new Error(`explorer reported a violation without a counterexample (${label(plan)})`);
  const origin = {
    model: plan.model,
    config: plan.config as Record<string, unknown>,
    mutant: plan.mutant,
    strategy: flags.strategy,
    seed: flags.strategy === 'random' ? flags.seed : null,
  };
  const saved = saveCounterexample(model, cx, origin, flags.out);
  const steps = saved.trace.actions.length;
  if (saved.path === null) {
    process.stderr.write(
      `heal check: could not save the trace under '${flags.out}' (${saved.saveError}); the ${steps} steps to ${cx.property} follow\n` +
        `${JSON.stringify(saved.trace)}\n`,
    );
  }
  return { path: saved.path, steps, message: saved.trace.message };
}

function traceLines(r: RunReport): string[] {
  if (r.trace === null || r.trace === undefined) return [`  trace (${r.traceSteps} steps): not saved (printed on stderr above)`];
  return [`  trace (${r.traceSteps} steps): ${r.trace}`, `  replay it: npx heal replay ${r.trace}`];
}

function pad(cells: string[], widths: number[], textColumns: number): string {
  return cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
}

function summaryTable(reports: readonly RunReport[]): string {
  // The Hermes port has no persistency or recovery dimension: one column names the model.
  const byCombination = reports.some((r) => r.persistency !== null);
  const labels = byCombination ? ['persistency', 'recovery'] : ['model'];
  const header = [...labels, 'result', 'distinct', 'generated', 'depth', 'seconds', 'states/s', 'B/state'];
  const rows = reports.map((r) => [
    ...(byCombination ? [r.persistency ?? '-', r.recovery ?? '-'] : [r.model]),
    r.result === 'incomplete' ? `incomplete (${r.incompleteReason ?? '?'})` : r.result,
    r.distinctStates.toLocaleString('en-US'),
    r.generatedStates.toLocaleString('en-US'),
    String(r.maxDepth),
    r.seconds.toFixed(2),
    Math.round(r.statesPerSecond).toLocaleString('en-US'),
    r.bytesPerState.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const lines = [pad(header, widths, labels.length + 1), ...rows.map((row) => pad(row, widths, labels.length + 1))];
  for (const r of reports) {
    if (r.result === 'violation') {
      lines.push('', `${label(r)}: ${r.property} violated: ${r.message}`, ...traceLines(r));
    }
  }
  return lines.join('\n');
}

/**
 * Explore one planned run and, on a violation, save its (shrunk) counterexample.
 * `model` is the run's model already built; with several workers the explorer
 * rebuilds it in each worker from the plan's ModelRef.
 */
export async function checkOne(
  plan: RunPlan,
  model: Model<unknown, unknown>,
  flags: ExploreFlags,
  onProgress?: (p: Progress) => void,
  interrupt?: AbortSignal,
): Promise<RunReport> {
  // Loaded only once there is work, so usage errors answer instantly.
  const { explore } = await import('../../checker/explore/index.ts');
  let result: ExploreResult;
  try {
    result = await explore(flags.workers > 1 ? plan.ref : model, exploreOptions(flags, onProgress, interrupt, plan));
  } catch (e) {
    if (e instanceof CheckpointError) throw new InputError(e.message);
    throw e;
  }
  const report: RunReport = {
    model: plan.model,
    persistency: plan.persistency,
    recovery: plan.recovery,
    mutant: plan.mutant,
    properties: model.properties.map((p) => p.id),
    result: result.result,
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    distinctStates: result.distinctStates,
    generatedStates: result.generatedStates,
    maxDepth: result.maxDepth,
    ...(result.walks !== undefined ? { walks: result.walks } : {}),
    ...(result.checkedDepth !== undefined ? { checkedDepth: result.checkedDepth } : {}),
    seconds: result.seconds,
    statesPerSecond: result.statesPerSecond,
    bytesPerState: result.bytesPerState,
    peakMemoryMB: result.peakMemoryMB,
    ...(result.spilledStates !== undefined ? { spilledStates: result.spilledStates } : {}),
    ...(result.resumedFrom !== undefined ? { resumedFrom: result.resumedFrom } : {}),
  };
  if (result.result !== 'violation') return report;
  const saved = saveFound(plan, model, result, flags);
  return { ...report, property: result.counterexample!.property, message: saved.message, trace: saved.path, traceSteps: saved.steps };
}

/** The properties checked, as one list; a property checked in only some runs says so. */
function checkedProperties(reports: readonly RunReport[]): string {
  const ids = [...new Set(reports.flatMap((r) => r.properties))];
  const partial = ids.filter((id) => reports.some((r) => !r.properties.includes(id)));
  return ids.join(', ') + (partial.length > 0 ? ` (${partial.join(', ')} only in the runs ${partial.length === 1 ? 'it applies' : 'they apply'} to; --json lists each run's)` : '');
}

function runLine(r: RunReport): string {
  const outcome = r.result === 'incomplete' ? `incomplete (${r.incompleteReason ?? '?'})` : r.result === 'violation' ? `VIOLATION of ${r.property}` : 'ok';
  const checked = r.checkedDepth !== undefined ? ` (all within ${r.checkedDepth} checked)` : '';
  return `${label(r)}: ${outcome}, ${r.distinctStates.toLocaleString('en-US')} states, depth ${r.maxDepth}${checked}, ${r.seconds.toFixed(1)} s`;
}

function walkLine(r: RunReport): string {
  const outcome = r.result === 'violation' ? `VIOLATION of ${r.property}` : r.incompleteReason === 'time-limit' ? 'no violation (stopped at the time cap)' : 'no violation';
  return `walks ${label(r)}: ${outcome}, ${(r.walks ?? 0).toLocaleString('en-US')} walks, ${r.distinctStates.toLocaleString('en-US')} states, deepest step ${r.maxDepth}`;
}

function redeliverySummary(runs: readonly RunReport[]): string {
  const states = runs.reduce((n, r) => n + r.distinctStates, 0);
  const outcome = runs.some((r) => r.result === 'violation') ? 'VIOLATION' : runs.some((r) => r.result === 'incomplete') ? 'incomplete' : 'ok';
  const lines = ['', `with duplicate delivery (${REDELIVERY_BOUNDS_TEXT}): ${outcome}, ` +
    `${runs.length} combination${runs.length === 1 ? '' : 's'} searched to the end, ${states.toLocaleString('en-US')} states`];
  for (const r of runs) {
    if (r.result === 'violation') lines.push(`${label(r)}: ${r.property} violated: ${r.message}`, ...traceLines(r));
  }
  return lines.join('\n');
}

function walkSummary(walks: readonly RunReport[], seed: number): string {
  const total = walks.reduce((n, r) => n + (r.walks ?? 0), 0);
  const deepest = Math.max(...walks.map((r) => r.maxDepth));
  const lines = ['', `swarm walks at the wide bounds (${WALK_BOUNDS_TEXT}), seed ${seed}: ` +
    `${total.toLocaleString('en-US')} walks over ${walks.length} combination${walks.length === 1 ? '' : 's'}, deepest step ${deepest}`];
  for (const r of walks) {
    if (r.result === 'violation') {
      lines.push(`${label(r)}: ${r.property} violated: ${r.message}`, ...traceLines(r));
    }
  }
  if (!walks.some((r) => r.result === 'violation')) lines.push('no violation in any walk (walks sample; they prove nothing about states they did not reach)');
  return lines.join('\n');
}

/** The runs after the exhaustive part (redelivery, walks): each reported as it ends, the first violation ends them. */
async function followUpRuns(plans: readonly RunPlan[], flags: ExploreFlags, interrupt: AbortSignal, line: ((r: RunReport) => string) | null): Promise<RunReport[]> {
  const out: RunReport[] = [];
  for (const plan of plans) {
    if (interrupt.aborted) break;
    const report = await checkOne(plan, await loadModel<unknown, unknown>(plan.ref), flags, undefined, interrupt);
    out.push(report);
    if (line !== null) process.stderr.write(`${line(report)}\n`);
    if (report.result === 'violation') break;
  }
  return out;
}

export async function run(givenArgv: string[]): Promise<number> {
  const argv = resumedArgv(givenArgv);
  const flags = parseCheckFlags(argv);
  if (flags.help) {
    console.log(HELP);
    return EXIT_OK;
  }
  const plans = await planRuns(flags);
  checkOutDir(flags.explore.out);
  if (flags.explore.checkpointDir !== undefined) openCheckpointDir(flags.explore, argv);
  const live = !flags.explore.json && process.stderr.isTTY === true;
  const reports: RunReport[] = [];
  const redelivered: RunReport[] = [];
  const redelivery = flags.model === 'heal' && isPlainCheck(flags.given);
  const walks: RunReport[] = [];
  const wideWalks = intFlag(flags.raw, 'wide-walks', 0) ?? (flags.model === 'heal' ? defaultWideWalks(flags.given) : 0);
  if (flags.given.has('seed') && flags.explore.strategy !== 'random' && wideWalks === 0) {
    throw new InputError(`--seed ${flags.explore.seed}: it seeds random walks, and this run has none (--strategy ${flags.explore.strategy}, no wide walks)`);
  }
  // Ctrl-C stops the search the way a time limit does, so the report says what was
  // covered; a second Ctrl-C quits at once.
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
    process.stderr.write(`${live ? '\r\x1b[2K' : '\n'}heal check: interrupted; reporting what was covered (Ctrl-C again quits at once)\n`);
  };
  process.on('SIGINT', onSigint);
  try {
    for (const [index, plan] of plans.entries()) {
      if (interrupt.signal.aborted) break;
      const model = await loadModel<unknown, unknown>(plan.ref);
      if (flags.explore.symmetry && model.canonicalize === undefined) {
        throw new InputError(
          `--symmetry: model '${plan.model}' has no sound symmetry reduction (its timestamps break ties by node id, ` +
            'so permuting nodes changes which write wins, and it has no data values; see spec/cluster-model.md); run without --symmetry',
        );
      }
      const tag = runTag(plan, index, plans.length);
      // The first line a second in (a log shows at once that the run is alive), then every few seconds.
      let lastLogged = 1 - LOG_PROGRESS_SECONDS;
      const onProgress = live
        ? (p: Progress) => process.stderr.write(`\r\x1b[2K${progressLine(tag, p)}`)
        : (p: Progress) => {
            if (p.elapsedSeconds - lastLogged < LOG_PROGRESS_SECONDS) return;
            lastLogged = p.elapsedSeconds;
            process.stderr.write(`${logProgressLine(tag, p)}\n`);
          };
      const ended = flags.explore.checkpointDir !== undefined ? doneReport<RunReport>(flags.explore, plan) : null;
      const report = ended ?? (await checkOne(plan, model, flags.explore, onProgress, interrupt.signal));
      if (ended === null && flags.explore.checkpointDir !== undefined && report.result !== 'incomplete') saveDone(flags.explore, plan, report);
      reports.push(report);
      if (live) process.stderr.write('\r\x1b[2K');
      // Several runs can take minutes in all: say each one's outcome as it ends, not only in the final table.
      if (!flags.explore.json && plans.length > 1) process.stderr.write(`${runLine(report)}\n`);
    }
    if (redelivery && !interrupt.signal.aborted && !reports.some((r) => r.result === 'violation')) {
      if (!flags.explore.json) process.stderr.write(`every combination again with duplicate delivery (${REDELIVERY_BOUNDS_TEXT}), searched to the end\n`);
      redelivered.push(...(await followUpRuns(redeliveryPlans(plans), redeliveryFlags(flags.explore), interrupt.signal, flags.explore.json ? null : runLine)));
    }
    if (wideWalks > 0 && !interrupt.signal.aborted && ![...reports, ...redelivered].some((r) => r.result === 'violation')) {
      const plansOfWalks = walkPlans(plans);
      const wflags = walkFlags(flags.explore, wideWalks, plansOfWalks.length);
      if (!flags.explore.json) process.stderr.write(`swarm walks at the wide bounds (${WALK_BOUNDS_TEXT}), ${wideWalks} per combination, seed ${wflags.seed}\n`);
      walks.push(...(await followUpRuns(plansOfWalks, wflags, interrupt.signal, flags.explore.json ? null : walkLine)));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  const notStarted = plans.slice(reports.length).map(label);
  const overall = [...reports, ...redelivered, ...walks].some((r) => r.result === 'violation')
    ? 'violation'
    : [...reports, ...redelivered].some((r) => r.result === 'incomplete') || interrupt.signal.aborted
      ? 'incomplete'
      : 'ok';
  if (flags.explore.json) {
    const redeliveryPart = redelivery ? { redelivery: { bounds: REDELIVERY_BOUNDS_TEXT, runs: redelivered } } : {};
    const walkPart = wideWalks > 0 ? { walks: { bounds: WALK_BOUNDS_TEXT, seed: flags.explore.seed, walksPerRun: wideWalks, runs: walks } } : {};
    console.log(
      JSON.stringify({ result: overall, ...(interrupt.signal.aborted ? { interrupted: true, notStarted } : {}), runs: reports, ...redeliveryPart, ...walkPart }),
    );
  } else {
    const mutant = plans[0]?.mutant;
    if (mutant) console.log(`mutant: ${mutant}`);
    console.log(summaryTable(reports));
    if (redelivered.length > 0) console.log(redeliverySummary(redelivered));
    if (walks.length > 0) console.log(walkSummary(walks, flags.explore.seed));
    console.log('');
    if (interrupt.signal.aborted) {
      console.log(`interrupted (Ctrl-C)${notStarted.length > 0 ? `; not started: ${notStarted.join(', ')}` : ''}`);
    }
    console.log(
      overall === 'ok'
        ? `all properties hold in every state explored: ${checkedProperties(reports)}`
        : overall === 'violation'
          ? 'VIOLATION found (see above)'
          : interrupt.signal.aborted
            ? 'incomplete: interrupted before the state space was covered; nothing violated within it'
            : 'incomplete: a bound was reached before the state space was covered; nothing violated within it',
    );
    const covered = reports.filter((r) => r.result === 'incomplete' && r.checkedDepth !== undefined).map((r) => r.checkedDepth!);
    if (overall === 'incomplete' && covered.length > 0) {
      const least = Math.min(...covered);
      console.log(`every state within ${least} step${least === 1 ? '' : 's'} of the start${covered.length > 1 ? ' (in every run)' : ''} was reached and passed every property`);
    }
  }
  return overall === 'violation' ? EXIT_VIOLATION : overall === 'incomplete' ? EXIT_UNKNOWN : EXIT_OK;
}
