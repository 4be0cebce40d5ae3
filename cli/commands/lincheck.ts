/**
 * `heal lincheck FILE`: is this client history linearizable? Usable on histories
 * from any implementation (Jepsen EDN, Porcupine's etcd log, the project's JSON).
 * Exit 0 linearizable, 1 not, 2 bad input, 3 unknown (time or memory budget
 * reached), 4 internal error. Only a verdict of "not linearizable" exits 1.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import { basename } from 'node:path';
import { parseHistory, HistoryError, HISTORY_FORMATS, type HistoryFormat } from '../../checker/history/index.ts';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { formatExplanation } from '../../checker/lincheck/explain.ts';
import { formatAnomaly } from '../../checker/lincheck/anomaly.ts';
import { renderHtml } from '../../checker/lincheck/html.ts';
import { MODELS, guessModel, type InitialValue } from '../../checker/lincheck/models.ts';
import { SEMANTICS, defaultSemantics, type Semantics } from '../../checker/lincheck/semantics.ts';
import { splitIndependent } from '../../checker/history/independent.ts';
import { EXIT_OK, EXIT_UNKNOWN, EXIT_VIOLATION, InputError } from '../errors.ts';
import { tolerateClosedStdout } from '../closed-stdout.ts';
import { reserveOutput, type ReservedOutput } from '../reserve-output.ts';
import { parseInitial } from './lincheck-initial.ts';

/** The checker itself failed (a bug): no verdict, and not to be read as "not linearizable". */
export const EXIT_INTERNAL = 4;

const MB = 2 ** 20;

/** Half the machine's memory, at most the JS heap limit plus 4 GB for the search's typed arrays. */
function defaultMemoryLimitMB(): number {
  const heap = v8.getHeapStatistics().heap_size_limit / MB;
  return Math.floor(Math.min(os.totalmem() / MB / 2, heap + 4096));
}

const HELP = `usage: heal lincheck FILE [options]      (FILE - reads standard input)

  --format F      auto|porcupine-etcd|jepsen-edn|json (default auto)
  --model M       ${Object.keys(MODELS).join('|')} (default: guessed from the operations)
${Object.entries(MODELS)
  .map(([name, m]) => `                    ${name}: ${m.summary}`)
  .join('\n')}
  --semantics S   knossos|porcupine: how a read is read (default: knossos for
                  jepsen-edn, porcupine for the other formats). They differ in one
                  thing: under knossos a completed read of nil matches any state
                  and a read's invocation value is ignored (as Knossos's register,
                  cas-register and multi-register do); under porcupine a read of
                  nil means the register held nil (an absent etcd key) and a read
                  invocation must carry nil. Both: :fail did not happen; :info may
                  have happened at any point after its invocation, or never; cas
                  takes [from to] (an :ok cas with value false did not apply).
  --independent   values are Jepsen independent tuples [key value]: check each key
                  as its own object (a :key field does the same for any format)
  --initial V     initial value of the register / of every key, in JSON or EDN (0, "", nil,
                  :a); for multi-register a map of registers ({"x": 0} or {:x 0})
  --timeout SEC   give up with 'unknown' after SEC seconds (default: no limit)
  --memory-limit MB
                  give up with 'unknown' when the process would hold more than MB
                  megabytes (default here: ${defaultMemoryLimitMB()}: half the machine's memory,
                  at most the JS heap limit + 4 GB)
  --html OUT      write a self-contained HTML view of the history (and the failure):
                  one section per key, the failing one first and scrolled into view,
                  the model state before/after each operation on hover; past 5,000
                  operations it shows the 1,000 around the failure and counts for
                  the rest. Never the input file; checked for writability before the search
  --json          print {"linearizable", "operations", "partitions", "seconds"} as the last line

Integers are compared exactly in every format (past 2^53 as well). Register
histories whose writes all write distinct values are decided without search
(Gibbons-Korach zones), in seconds at any concurrency, naming the anomaly.

exit codes: 0 linearizable, 1 not linearizable, 2 bad input or usage,
            3 unknown (time or memory budget reached), 4 internal error (a bug; no verdict)`;

interface Flags {
  file: string;
  format: HistoryFormat | 'auto';
  model: string | undefined;
  semantics: Semantics | undefined;
  initial: InitialValue | undefined;
  timeoutMs: number | undefined;
  memoryLimitMB: number | undefined;
  html: string | undefined;
  json: boolean;
  independent: boolean;
}

function parseFlags(argv: string[]): Flags | 'help' {
  const flags: Flags = { file: '', format: 'auto', model: undefined, semantics: undefined, initial: undefined, timeoutMs: undefined, memoryLimitMB: undefined, html: undefined, json: false, independent: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new InputError(`${arg} needs a value\n\n${HELP}`);
      return v;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--format': {
        const v = value();
        if (v !== 'auto' && !HISTORY_FORMATS.includes(v as HistoryFormat)) {
          throw new InputError(`--format: expected auto, ${HISTORY_FORMATS.join(', ')}; got '${v}'`);
        }
        flags.format = v as HistoryFormat | 'auto';
        break;
      }
      case '--model': {
        const v = value();
        if (!(v in MODELS)) throw new InputError(`--model: expected one of ${Object.keys(MODELS).join(', ')}; got '${v}'`);
        flags.model = v;
        break;
      }
      case '--semantics': {
        const v = value();
        if (!SEMANTICS.includes(v as Semantics)) throw new InputError(`--semantics: expected ${SEMANTICS.join(' or ')}; got '${v}'`);
        flags.semantics = v as Semantics;
        break;
      }
      case '--initial':
        flags.initial = parseInitial(value());
        break;
      case '--timeout': {
        const v = value();
        const sec = Number(v);
        if (!Number.isFinite(sec) || sec <= 0) throw new InputError(`--timeout: expected a positive number of seconds, got '${v}'`);
        flags.timeoutMs = sec * 1000;
        break;
      }
      case '--memory-limit': {
        const v = value();
        const mb = Number(v);
        if (!Number.isFinite(mb) || mb <= 0) throw new InputError(`--memory-limit: expected a positive number of megabytes, got '${v}'`);
        flags.memoryLimitMB = mb;
        break;
      }
      case '--html':
        flags.html = value();
        break;
      case '--json':
        flags.json = true;
        break;
      case '--independent':
        flags.independent = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new InputError(`unknown option '${arg}'\n\n${HELP}`);
        files.push(arg);
    }
  }
  if (files.length !== 1) throw new InputError(`expected exactly one history FILE, got ${files.length}\n\n${HELP}`);
  flags.file = files[0];
  return flags;
}

export async function run(argv: string[]): Promise<number> {
  tolerateClosedStdout();
  const flags = parseFlags(argv);
  if (flags === 'help') {
    console.log(HELP);
    return EXIT_OK;
  }
  const html = flags.html === undefined ? undefined : reserveOutput('--html', flags.html, flags.file);
  try {
    return check(flags, html);
  } catch (e) {
    if (e instanceof HistoryError) throw new InputError(e.message);
    if (e instanceof InputError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new InputError(`${flags.file === '-' ? '<stdin>' : flags.file}: values nest too deeply to read (expected a history of flat events)`);
    }
    if (isAllocationFailure(e)) {
      console.log(`unknown: out of memory (${(e as Error).message}); raise --memory-limit or the heap (NODE_OPTIONS=--max-old-space-size=MB)`);
      return EXIT_UNKNOWN;
    }
    const detail = e instanceof Error ? (process.env.HEAL_DEBUG ? (e.stack ?? e.message) : `${e.name}: ${e.message}`) : String(e);
    console.error(`heal lincheck: internal error, no verdict (please report; HEAL_DEBUG=1 prints the stack): ${detail}`);
    return EXIT_INTERNAL;
  } finally {
    html?.discard();
  }
}

function check(flags: Flags, html: ReservedOutput | undefined): number {
  const name = flags.file === '-' ? '<stdin>' : flags.file;
  let text: string;
  try {
    text = readFileSync(flags.file === '-' ? 0 : flags.file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${name}: ${(e as Error).message}`);
  }
  // Editors on Windows start UTF-8 files with a byte-order mark; it is not part of the history.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseHistory(text, flags.format, name);
  const history = flags.independent ? { ...parsed, events: splitIndependent(parsed.events, parsed.source) } : parsed;
  const modelName = flags.model ?? (history.format === 'porcupine-etcd' ? 'cas-register' : guessModel(history.events));
  let model;
  try {
    model = MODELS[modelName].create(flags.initial);
  } catch (e) {
    throw new InputError(`--initial: ${(e as Error).message}`);
  }
  const semantics = flags.semantics ?? defaultSemantics(history.format);
  const ops = buildOperations(history.events, model, { source: history.source, semantics });
  const started = performance.now();
  const memoryLimitBytes = (flags.memoryLimitMB ?? defaultMemoryLimitMB()) * MB;
  const result = checkOperations(ops, model, { timeoutMs: flags.timeoutMs, memoryLimitBytes });
  const seconds = (performance.now() - started) / 1000;

  const fast = result.withoutSearch ? ` (${result.withoutSearch} decided without search: distinct written values)` : '';
  console.log(`${name}: ${ops.length} operations, ${result.partitions} partition(s)${fast}, model ${modelName}, format ${history.format}, ${semantics} semantics, ${(seconds * 1000).toFixed(1)} ms`);
  if (result.result === 'ok') console.log('linearizable');
  else if (result.result === 'unknown') {
    const budget = result.reason === 'memory' ? `the memory budget (--memory-limit ${memoryLimitBytes / MB} MB)` : 'the time budget';
    console.log(`unknown: ${budget} ran out${result.unfinishedKey === undefined ? '' : ` while checking key ${JSON.stringify(result.unfinishedKey)}`}`);
  } else {
    if (result.anomaly) for (const line of formatAnomaly(model, result.anomaly, result.anomalyKey)) console.log(line);
    // The anomaly's sentence already says "not linearizable": the explanation's own first line would repeat it.
    if (result.explanation) for (const line of formatExplanation(model, result.explanation).slice(result.anomaly ? 1 : 0)) console.log(line);
    if (!result.anomaly && !result.explanation) console.log('not linearizable');
  }

  if (html) {
    // Jepsen records :time in nanoseconds since the test began; other formats say nothing of a unit.
    const eventTimes = history.events.some((ev) => ev.time !== undefined) ? history.events.map((ev) => ev.time) : undefined;
    html.commit(renderHtml(basename(name), ops, model, result, { eventTimes, ...(history.format === 'jepsen-edn' ? { timeUnit: 'ns' } : {}) }));
    console.log(`wrote ${html.path}`);
  }
  if (flags.json) {
    const linearizable = result.result === 'ok' ? true : result.result === 'illegal' ? false : null;
    console.log(JSON.stringify({ linearizable, operations: ops.length, partitions: result.partitions, seconds }));
  }
  return result.result === 'ok' ? EXIT_OK : result.result === 'illegal' ? EXIT_VIOLATION : EXIT_UNKNOWN;
}

/** RangeError from a typed array or buffer too large to allocate: a memory budget, not a bug. */
function isAllocationFailure(e: unknown): boolean {
  return e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer|Invalid array length/i.test(e.message);
}
