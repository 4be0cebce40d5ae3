/**
 * `heal conform <log.jsonl>`: is the recorded run of another implementation one that the
 * HEAL model allows? Engine: cli/conform/run.ts; format: spec/event-log-format.md.
 */
import { EXIT_OK, EXIT_UNKNOWN, EXIT_VIOLATION, InputError } from '../errors.ts';
import { MODEL_VALUE_FLAGS, boolFlag, flagOptions, enumFlag, intFlag, parseRaw, positiveNumberFlag, stringFlag, PERSISTENCY_MODELS, RECOVERY_MODES } from '../flags.ts';
import { readLog } from '../conform/log-format.ts';
import { CLUSTER_LIMITS } from '../../src/cluster/state.ts';
import { writeAtomic } from '../write-atomic.ts';
import { renderConformHtml } from '../conform/html.ts';
import { checkLog, type ConformReport } from '../conform/run.ts';

const HELP = `usage: heal conform <log.jsonl> [options]

Checks a recorded run (an event log, spec/event-log-format.md) against the HEAL model:
some run of the model must produce every logged event, at its node's sequence number.
Missing sequence numbers are events the log lacks; the search fills them in. The run
found is then checked with every property at every step, and its client history with
the linearizability checker.

model (default: the log's meta line; else the counts in the log):
  --persistency P     ${PERSISTENCY_MODELS.join(', ')} (required without a meta line)
  --recovery R        ${RECOVERY_MODES.map((r) => (r === 'heal' ? `${r} (default)` : r)).join(' or ')}
  --nodes N --keys K  cluster size and key count
  --writes W --reads R --scopes S --crashes C
                      budgets of the model (default: as many as logged, plus one per
                      missing event; crashes: logged + 1)
  --duplicates        the network may deliver a message more than once
  --mutant NAME       check against a deliberately broken variant (heal mutants)
  --ended             the log runs until the system was quiescent: a run must end
                      there too, so a write that never returns is a rejection
search:
  --max-states N      stop with 'unknown' after N search states (default 1000000)
  --time-limit S      stop with 'unknown' after S seconds
output:
  --out DIR           where the trace of a rejection or violation goes (default traces/conform)
  --json              one JSON object instead of text
  --html OUT          also write the run as a timeline (one lane per node, messages as
                      arrows, the first unmatched event in red), viewable offline

exit codes: 0 conforms, 1 does not conform (or a property / linearizability fails),
2 bad input (file:line), 3 search bound reached before a verdict`;

// The model's flags mean here what they mean to heal check.
const OPTIONS = flagOptions([...MODEL_VALUE_FLAGS, 'max-states', 'time-limit', 'out', 'html'], ['duplicates', 'ended']);

function render(r: ConformReport): string {
  const c = r.config;
  const lines = [
    `log ${r.log}: ${r.events} events at ${c.nodes} nodes, ${r.missing} missing (sequence numbers with no event)`,
    `model heal(${c.persistency}, ${c.recovery}, nodes=${c.nodes}, keys=${c.keys}${c.mutant ? `, mutant=${c.mutant}` : ''}), budgets writes=${c.writes} reads=${c.reads} scopes=${c.scopes} crashes=${c.crashes}`,
    `search: ${r.statesExplored} states in ${r.searchSeconds.toFixed(2)} s${r.rejection ? '' : `; properties along the run ${r.propertySeconds.toFixed(2)} s; linearizability ${r.lincheckSeconds.toFixed(2)} s`}`,
  ];
  if (r.rejection) {
    const j = r.rejection;
    lines.push('');
    lines.push(r.verdict === 'unknown' ? `search bound reached (${r.bound}) before a verdict; furthest run:` : 'the log does not conform:');
    lines.push(`first logged event no run of the model produces: ${r.log}:${j.line} (node ${j.node}, seq ${j.seq})`);
    lines.push(`  ${j.event}`);
    lines.push(`  as logged: ${j.logged}`);
    lines.push(`  after ${j.matched} logged events matched`);
    if (j.step) {
      lines.push(`  the model's closest step, '${j.step.action}', matches the log from line ${j.step.line} up to here, but produces at n${j.node} instead:`);
      for (const e of j.step.instead) lines.push(`    ${e}`);
      if (j.step.instead.length === 0) lines.push('    (nothing more)');
    }
    lines.push(`rules involved: ${j.rules.join(', ')}`);
    lines.push(`state of n${j.node} in the model at that point: ${JSON.stringify(j.expectedNode)}`);
    const named = Object.entries(j.values);
    if (named.length > 0) lines.push(`  (model values: ${named.map(([m, x]) => `${m} is the log's ${JSON.stringify(x)}`).join(', ')}; keys are numbered in order of appearance)`);
    lines.push(`what the model can do there (first event of each enabled step; * at n${j.node}):`);
    for (const e of j.enabled) lines.push(`  ${e.atNode ? '*' : ' '} ${e.event}`);
    if (j.enabled.length === 0) lines.push('    (nothing: the run has ended)');
    if (j.trace) lines.push(`trace of that run: ${j.trace} (heal replay ${j.trace})`);
  } else {
    lines.push(`the log conforms: a run of ${r.runSteps} model steps produces every logged event`);
    if (r.violation) {
      lines.push(`but property ${r.violation.property} fails after step ${r.violation.step}: ${r.violation.message}`);
      if (r.violation.trace) lines.push(`trace: ${r.violation.trace} (heal replay ${r.violation.trace})`);
    } else {
      lines.push('properties: every property holds at every step of that run');
    }
    const l = r.linearizability!;
    lines.push(`linearizability of its client history (${l.operations} operations): ${l.result === 'ok' ? 'linearizable' : l.result === 'illegal' ? 'NOT linearizable' : 'unknown (time ran out)'}`);
    for (const e of l.explanation ?? []) lines.push(`  ${e}`);
  }
  lines.push('');
  lines.push(`verdict: ${r.verdict}`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const raw = parseRaw(argv, OPTIONS, true, 'conform');
  if (boolFlag(raw, 'help')) {
    console.log(HELP);
    return EXIT_OK;
  }
  if (raw.positionals.length !== 1) throw new InputError(`expected exactly one log file, got ${raw.positionals.length} (usage: heal conform <log.jsonl>)`);
  const log = readLog(raw.positionals[0]!);
  const html = stringFlag(raw, 'html');
  const { report, run: matched } = checkLog(log, {
    persistency: enumFlag(raw, 'persistency', PERSISTENCY_MODELS),
    recovery: enumFlag(raw, 'recovery', RECOVERY_MODES),
    nodes: intFlag(raw, 'nodes', CLUSTER_LIMITS.nodes.min, CLUSTER_LIMITS.nodes.max),
    keys: intFlag(raw, 'keys', CLUSTER_LIMITS.keys.min, CLUSTER_LIMITS.keys.max),
    writes: intFlag(raw, 'writes', 0),
    reads: intFlag(raw, 'reads', 0),
    scopes: intFlag(raw, 'scopes', 0),
    crashes: intFlag(raw, 'crashes', CLUSTER_LIMITS.crashes.min, CLUSTER_LIMITS.crashes.max),
    ...(raw.values.duplicates !== undefined ? { duplicates: boolFlag(raw, 'duplicates') } : {}),
    mutant: stringFlag(raw, 'mutant'),
    ended: boolFlag(raw, 'ended'),
    maxStates: intFlag(raw, 'max-states', 1) ?? 1_000_000,
    timeLimitSeconds: positiveNumberFlag(raw, 'time-limit'),
    out: stringFlag(raw, 'out') ?? 'traces/conform',
  });
  if (html !== undefined) {
    writeAtomic('--html', html, renderConformHtml(report, matched));
  }
  console.log(boolFlag(raw, 'json') ? JSON.stringify(report) : render(report));
  if (report.verdict === 'conforms') return EXIT_OK;
  if (report.verdict === 'unknown') return EXIT_UNKNOWN;
  return EXIT_VIOLATION;
}
