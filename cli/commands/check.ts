/**
 * `heal check`: plan one run per persistency x recovery combination (or one run of the
 * Hermes TLA+ port), explore each, save every counterexample as a trace file, and report.
 * Exit 0 when every property holds everywhere explored, 1 on a violation, 2 on bad
 * input, 3 when a bound stopped a run before it covered the whole state space.
 */
import { statSync } from 'node:fs';
import { loadModel } from '../../checker/load-model.ts';
import type { Model } from '../../checker/model.ts';
import type { ExploreOptions, ExploreResult, Progress } from '../../checker/explore/types.ts';
import { saveTrace } from '../../checker/trace/io.ts';
import { replay, whyNotReproduced } from '../../checker/trace/replay.ts';
import { shrink } from '../../checker/trace/shrink.ts';
import { EXIT_OK, EXIT_UNKNOWN, EXIT_VIOLATION, InputError } from '../errors.ts';
import { parseCheckFlags, type ExploreFlags } from '../flags.ts';
import { planRuns, type RunPlan } from '../models/index.ts';
import { CheckpointError } from '../../checker/explore/checkpoint.ts';
import { checkpointOptions, doneReport, openCheckpointDir, resumedArgv, saveDone } from '../checkpoint-dir.ts';

const HELP = `usage: heal check [options]

model:
  --model heal|hermes-tla     which model (default heal)
  --persistency P             synch|strict|renf|scope|eventual|all (default all)       [heal]
  --recovery R                heal|fullcopy|all (default all)                          [heal]
  --nodes N                   nodes (default 3)
  --keys K                    keys (default 1)                                          [heal]
  --writes W --reads R        client operation budgets (default 2 writes, 1 read)      [heal]
  --scopes S                  scope ends under --persistency scope (default 1; 0 elsewhere) [heal]
  --crashes C                 crash budget (default 1)                                  [heal]
  --duplicates                the network may deliver a message more than once          [heal]
  --mutant NAME               a deliberately broken variant (see 'heal mutants'); 'all'
                              is restricted to the combinations it applies to          [heal]
  --max-version V             highest write version (default 2)                   [hermes-tla]

exploration:
  --strategy bfs|dfs|random   default bfs (shortest counterexamples)
  --seed S                    seed of the random strategy (default 1)
  --walks N                   random strategy: number of walks
  --max-states N --max-depth D --time-limit SEC --memory-limit MB
                              bounds; reaching one makes the run 'incomplete', and a
                              breadth-first run then reports checkedDepth: every state
                              within that many steps was reached and passed every property
  --frontier-memory MB        breadth-first: keep at most this much of the queue of
                              states to expand in memory, the rest in temporary files
                              (default 1024, or a quarter of --memory-limit if less)
  --workers N                 worker threads (default 1)
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
  --out DIR                   where counterexample traces are saved (default traces/)
  --json                      print one JSON object as the last line of stdout

exit codes: 0 all properties hold, 1 violation (trace saved), 2 bad input or usage,
            3 incomplete (a bound was reached; nothing violated within it)`;

/** One run's line of the --json contract: its labels, the explorer's figures, and any violation. */
export interface RunReport extends Omit<ExploreResult, 'counterexample'> {
  readonly model: string;
  readonly persistency: string | null;
  readonly recovery: string | null;
  readonly mutant: string | null;
  readonly property?: string;
  readonly message?: string;
  readonly trace?: string;
  readonly traceSteps?: number;
}

function checkOutDir(out: string): void {
  try {
    if (!statSync(out).isDirectory()) throw new InputError(`--out: '${out}' exists and is not a directory`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    // Absent is fine: it is created when the first trace is saved.
  }
}

function label(plan: Pick<RunPlan, 'model' | 'persistency' | 'recovery'>): string {
  return plan.persistency === null ? plan.model : `${plan.persistency}/${plan.recovery}`;
}

function progressLine(plan: RunPlan, p: Progress): string {
  return (
    `${label(plan)}: ${p.distinctStates.toLocaleString('en-US')} distinct, ` +
    `${p.generatedStates.toLocaleString('en-US')} generated, queue ${p.queued.toLocaleString('en-US')}, ` +
    `depth ${p.depth}, ${Math.round(p.statesPerSecond).toLocaleString('en-US')} states/s, ${p.elapsedSeconds.toFixed(0)} s`
  );
}

function exploreOptions(flags: ExploreFlags, onProgress?: (p: Progress) => void, plan?: RunPlan): ExploreOptions {
  return {
    strategy: flags.strategy,
    seed: flags.seed,
    workers: flags.workers,
    symmetry: flags.symmetry,
    ...(flags.walks !== undefined ? { walks: flags.walks } : {}),
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

/** Shrink (when not BFS), save, and re-check that the saved trace reproduces. */
function saveCounterexample(
  plan: RunPlan,
  model: Model<unknown, unknown>,
  result: ExploreResult,
  flags: ExploreFlags,
): { path: string; steps: number; message: string } {
  const cx = result.counterexample;
  if (!cx) throw new Error(`explorer reported a violation without a counterexample (${label(plan)})`);
  let actions = cx.actions;
  let message = cx.message;
  let shrunkFrom: number | null = null;
  // BFS counterexamples are already shortest; DFS and random ones are worth cutting down.
  if (flags.strategy !== 'bfs' && actions.length > 1) {
    const shrunk = shrink(model, { initialIndex: cx.initialIndex, actions, property: cx.property });
    shrunkFrom = actions.length;
    actions = shrunk.actions;
    message = shrunk.message;
  }
  const trace = {
    model: plan.model,
    config: plan.config as Record<string, unknown>,
    mutant: plan.mutant,
    property: cx.property,
    message,
    foundBy: { strategy: flags.strategy, seed: flags.strategy === 'random' ? flags.seed : null, shrunkFrom },
    initialIndex: cx.initialIndex,
    actions: [...actions],
    steps: actions.map((a) => model.describeAction(a)),
  };
  const outcome = replay(model, trace);
  if (outcome.kind !== 'reproduced') {
    // The explorer and replay disagree: a bug in one of them, never something to hide.
    throw new Error(`counterexample for ${cx.property} (${label(plan)}) does not replay: ${whyNotReproduced(outcome)}`);
  }
  return { path: saveTrace(flags.out, trace), steps: actions.length, message };
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
      lines.push('', `${label(r)}: ${r.property} violated: ${r.message}`, `  trace (${r.traceSteps} steps): ${r.trace}`);
      lines.push(`  replay it: npx heal replay ${r.trace}`);
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
): Promise<RunReport> {
  // Loaded only once there is work, so usage errors answer instantly.
  const { explore } = await import('../../checker/explore/index.ts');
  let result: ExploreResult;
  try {
    result = await explore(flags.workers > 1 ? plan.ref : model, exploreOptions(flags, onProgress, plan));
  } catch (e) {
    if (e instanceof CheckpointError) throw new InputError(e.message);
    throw e;
  }
  const report: RunReport = {
    model: plan.model,
    persistency: plan.persistency,
    recovery: plan.recovery,
    mutant: plan.mutant,
    result: result.result,
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    distinctStates: result.distinctStates,
    generatedStates: result.generatedStates,
    maxDepth: result.maxDepth,
    ...(result.checkedDepth !== undefined ? { checkedDepth: result.checkedDepth } : {}),
    seconds: result.seconds,
    statesPerSecond: result.statesPerSecond,
    bytesPerState: result.bytesPerState,
    peakMemoryMB: result.peakMemoryMB,
    ...(result.spilledStates !== undefined ? { spilledStates: result.spilledStates } : {}),
    ...(result.resumedFrom !== undefined ? { resumedFrom: result.resumedFrom } : {}),
  };
  if (result.result !== 'violation') return report;
  const saved = saveCounterexample(plan, model, result, flags);
  return { ...report, property: result.counterexample!.property, message: saved.message, trace: saved.path, traceSteps: saved.steps };
}

function runLine(r: RunReport): string {
  const outcome = r.result === 'incomplete' ? `incomplete (${r.incompleteReason ?? '?'})` : r.result === 'violation' ? `VIOLATION of ${r.property}` : 'ok';
  const checked = r.checkedDepth !== undefined ? ` (all within ${r.checkedDepth} checked)` : '';
  return `${label(r)}: ${outcome}, ${r.distinctStates.toLocaleString('en-US')} states, depth ${r.maxDepth}${checked}, ${r.seconds.toFixed(1)} s`;
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
  for (const plan of plans) {
    const model = await loadModel<unknown, unknown>(plan.ref);
    if (flags.explore.symmetry && model.canonicalize === undefined) {
      throw new InputError(
        `--symmetry: model '${plan.model}' has no sound symmetry reduction (its timestamps break ties by node id, ` +
          'so permuting nodes changes which write wins, and it has no data values; see spec/cluster-model.md); run without --symmetry',
      );
    }
    const onProgress = live ? (p: Progress) => process.stderr.write(`\r\x1b[2K${progressLine(plan, p)}`) : undefined;
    const ended = flags.explore.checkpointDir !== undefined ? doneReport<RunReport>(flags.explore, plan) : null;
    const report = ended ?? (await checkOne(plan, model, flags.explore, onProgress));
    if (ended === null && flags.explore.checkpointDir !== undefined && report.result !== 'incomplete') saveDone(flags.explore, plan, report);
    reports.push(report);
    if (live) process.stderr.write('\r\x1b[2K');
    // Several runs can take minutes in all: say each one's outcome as it ends, not only in the final table.
    if (!flags.explore.json && plans.length > 1) process.stderr.write(`${runLine(report)}\n`);
  }
  const overall = reports.some((r) => r.result === 'violation')
    ? 'violation'
    : reports.some((r) => r.result === 'incomplete')
      ? 'incomplete'
      : 'ok';
  if (flags.explore.json) {
    console.log(JSON.stringify({ result: overall, runs: reports }));
  } else {
    const mutant = plans[0]?.mutant;
    if (mutant) console.log(`mutant: ${mutant}`);
    console.log(summaryTable(reports));
    console.log('');
    console.log(
      overall === 'ok'
        ? 'all properties hold in every state explored'
        : overall === 'violation'
          ? 'VIOLATION found (see above)'
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
