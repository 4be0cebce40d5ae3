/**
 * `heal replay <trace>`: rebuild the exact model a trace was found on (name + full
 * configuration, mutant included), re-execute its actions, show what each step changed,
 * and judge the recorded property at the end. Exit 0 when it reproduces as recorded,
 * 1 when it no longer does (for example after a protocol fix), 2 for a bad trace file.
 */
import { loadModel } from '../../checker/load-model.ts';
import type { Model } from '../../checker/model.ts';
import { writeAtomic } from '../write-atomic.ts';
import { exportTraceLog, traceLogLines } from '../conform/export.ts';
import { renderConformHtml } from '../conform/html.ts';
import { parseLog } from '../conform/log-format.ts';
import { checkLog } from '../conform/run.ts';
import { basename } from 'node:path';
import { loadTrace, TraceFileError, traceFileName } from '../../checker/trace/io.ts';
import type { Trace } from '../../checker/trace/schema.ts';
import { replay, whyNotReproduced } from '../../checker/trace/replay.ts';
import { renderFinalState, renderOutcome, renderStep } from '../../checker/trace/render.ts';
import { EXIT_OK, EXIT_VIOLATION, InputError } from '../errors.ts';
import { boolFlag, flagOptions, parseRaw, stringFlag } from '../flags.ts';
import { modelEntry } from '../models/index.ts';

const HELP = `usage: heal replay <trace.json> [--json] [--verbose] [--export-log OUT.jsonl]

Re-executes a saved counterexample step by step on the model and configuration it
records (mutant included), printing each action and what it changed (one line per
node, key or list it touched; messages in flight compared as a multiset), the state
it ends in, then the property it violates.

  --verbose   also show the checker's own bookkeeping in the steps and the final state
              (for heal: the linearizability monitor)
  --json      print only {"reproduced": bool, "property": ID, "recordedSteps": N, "steps": N, ...}
              (the verdict, no states: --verbose does not apply to it)
  --recorded  print the steps and the violation as they were saved, without replaying:
              the original counterexample of a bug that has since been fixed
  --html OUT.html
              also write the run as an offline timeline (one lane per node, messages as
              arrows, crashes and recoveries marked; heal model only), the picture
              'heal conform --html' draws for an implementation's log
  --export-log OUT.jsonl
              also write the run as an event log (spec/event-log-format.md), the
              input of 'heal conform' (heal model only)

exit codes: 0 reproduced as recorded, 1 no longer reproduces, 2 bad trace file or usage`;

/**
 * A trace names its configuration twice, in the file name's hash and in its fields, and
 * the mutant twice, at the top and in the config: where they disagree the file was
 * edited or damaged, and replaying it would answer a question nobody asked.
 */
function checkTraceIdentity(file: string, trace: Trace): void {
  const inConfig = trace.config.mutant;
  if (inConfig !== undefined && (inConfig ?? null) !== trace.mutant) {
    throw new InputError(`${file}: field 'mutant': ${JSON.stringify(trace.mutant)} disagrees with config.mutant ${JSON.stringify(inConfig)}`);
  }
  const named = /^(.+)-([0-9a-f]{12})\.json$/.exec(basename(file));
  if (named === null) return; // renamed by its owner: nothing to compare
  const expected = traceFileName(trace.property, trace.model, trace.config);
  if (basename(file) !== expected) {
    throw new InputError(
      `${file}: field 'config': the file name says config hash ${named[2]}, but the config and property in the file give ${expected} (edited after saving?)`,
    );
  }
}

/** Load a trace and the model it names; every failure names the file and field. */
export async function openTrace(file: string): Promise<{ trace: Trace; model: Model<unknown, unknown> }> {
  let trace: Trace;
  try {
    trace = loadTrace(file);
  } catch (e) {
    if (e instanceof TraceFileError) throw new InputError(e.message);
    throw e;
  }
  const entry = modelEntry(trace.model, `${file}: field 'model'`);
  let model: Model<unknown, unknown>;
  try {
    model = await loadModel(entry.refFor(trace.config));
  } catch (e) {
    throw new InputError(`${file}: field 'config': the ${trace.model} model rejects it (${(e as Error).message})`);
  }
  checkTraceIdentity(file, trace);
  if (model.checkAction) {
    for (const [i, action] of trace.actions.entries()) {
      const wrong = model.checkAction(action);
      if (wrong !== null) throw new InputError(`${file}: field 'actions[${i}]': not an action of the ${trace.model} model: ${wrong}`);
    }
  }
  const initialCount = model.initialStates().length;
  if (trace.initialIndex >= initialCount) {
    throw new InputError(
      `${file}: field 'initialIndex': expected less than ${initialCount} (the model's initial states), got ${trace.initialIndex}`,
    );
  }
  return { trace, model };
}

/**
 * A trace's timeline: its run exported as an event log and matched by heal conform (a
 * complete log of the model's own run), so one picture serves both commands.
 */
function writeTraceHtml(trace: Trace, model: Model<unknown, unknown>, out: string): void {
  const lines = traceLogLines(trace, model, '--html');
  const { report, run } = checkLog(parseLog(lines.join('\n'), `${out} (from the trace)`), {
    ...(trace.mutant !== null ? { mutant: trace.mutant } : {}),
    maxStates: 1_000_000,
    out: null,
  });
  writeAtomic('--html', out, renderConformHtml(report, run));
}

/** The counterexample as saved: what the tool saw when it found it, whatever the protocol does now. */
function printRecorded(file: string, trace: Trace, json: boolean): number {
  if (json) {
    console.log(JSON.stringify({ recorded: true, property: trace.property, message: trace.message, mutant: trace.mutant, recordedSteps: trace.actions.length, steps: trace.steps }));
    return EXIT_OK;
  }
  console.log(`trace ${file} (as recorded; not replayed)`);
  console.log(`model ${trace.model} ${JSON.stringify(trace.config)}`);
  console.log(`mutant ${trace.mutant ?? '(none: the real protocol)'}`);
  console.log(`found by ${trace.foundBy.strategy}${trace.foundBy.seed !== null ? ` (seed ${trace.foundBy.seed})` : ''}, tool ${trace.toolVersion}`);
  console.log('');
  trace.steps.forEach((line, i) => console.log(`${String(i + 1).padStart(3)}. ${line}`));
  console.log('');
  console.log(`${trace.property} violated after ${trace.actions.length} steps: ${trace.message}`);
  return EXIT_OK;
}

export async function run(argv: string[]): Promise<number> {
  const raw = parseRaw(argv, flagOptions(['export-log', 'html'], ['verbose', 'recorded']), true, 'replay');
  if (boolFlag(raw, 'help')) {
    console.log(HELP);
    return EXIT_OK;
  }
  if (raw.positionals.length !== 1) {
    throw new InputError(`expected exactly one trace file, got ${raw.positionals.length} (usage: heal replay <trace.json> [--json])`);
  }
  const file = raw.positionals[0];
  const json = boolFlag(raw, 'json');
  const verbose = boolFlag(raw, 'verbose');
  // Refused, not ignored: neither prints a state for --verbose to add to.
  if (verbose && json) throw new InputError(`--verbose does not apply to --json (it prints the verdict, no states)`);
  if (verbose && boolFlag(raw, 'recorded')) throw new InputError(`--verbose does not apply to --recorded (it prints the saved step lines, no states)`);
  const { trace, model } = await openTrace(file);
  if (boolFlag(raw, 'recorded')) return printRecorded(file, trace, json);
  const htmlTo = stringFlag(raw, 'html');
  if (htmlTo !== undefined) writeTraceHtml(trace, model, htmlTo);
  const exportTo = stringFlag(raw, 'export-log');
  if (exportTo !== undefined) {
    const n = exportTraceLog(trace, model, exportTo);
    console.error(`wrote ${n} events to ${exportTo}`);
  }

  if (!json) {
    console.log(`trace ${file}`);
    console.log(`model ${trace.model} ${JSON.stringify(trace.config)}`);
    console.log(`mutant ${trace.mutant ?? '(none: the real protocol)'}`);
    console.log(`property ${trace.property}, ${trace.actions.length} steps, found by ${trace.foundBy.strategy}`);
    console.log('');
  }
  let finalDisplay: unknown;
  const outcome = replay(
    model,
    trace,
    json ? undefined : (step) => console.log(renderStep(step.index + 1, step.description, step.changes, step.display, model.displayLayout?.entities)),
    json ? {} : { verbose, onFinal: (display) => (finalDisplay = display) },
  );
  const reproduced = outcome.kind === 'reproduced';
  if (json) {
    const why = whyNotReproduced(outcome);
    console.log(
      JSON.stringify({
        reproduced,
        property: trace.property,
        recordedSteps: trace.actions.length,
        steps: outcome.steps,
        mutant: trace.mutant,
        ...(reproduced ? { message: outcome.message } : { reason: why }),
      }),
    );
  } else {
    if (model.display) {
      console.log('');
      console.log(renderFinalState(finalDisplay, outcome.steps, model.displayLayout?.entities, verbose ? [] : model.displayLayout?.internals));
    }
    console.log('');
    // heal conform's traces record the run that matched a log, not a property's failure.
    if (outcome.kind === 'unknown-property' && trace.property === 'CONFORM') console.log(`end of the run that matched the log: ${trace.message}`);
    else console.log(renderOutcome(outcome));
    if (outcome.steps !== trace.actions.length) {
      console.log(`replayed ${outcome.steps} of the ${trace.actions.length} recorded steps ('heal replay --recorded ${file}' shows them all as saved)`);
    }
  }
  if (outcome.kind === 'unknown-property' && trace.property === 'CONFORM') return EXIT_OK;
  return reproduced ? EXIT_OK : EXIT_VIOLATION;
}
