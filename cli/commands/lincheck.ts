/**
 * `heal lincheck FILE`: is this client history linearizable? Usable on histories
 * from any implementation (Jepsen EDN, Porcupine's etcd log, the project's JSON).
 * Exit 0 linearizable, 1 not, 2 bad input, 3 unknown (time budget reached).
 */
import { readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { parseHistory, HistoryError, HISTORY_FORMATS, type HistoryFormat } from '../../checker/history/index.ts';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { formatExplanation } from '../../checker/lincheck/explain.ts';
import { renderHtml } from '../../checker/lincheck/html.ts';
import { MODELS, guessModel } from '../../checker/lincheck/models.ts';
import type { HistoryValue } from '../../spec/history.ts';
import { EXIT_OK, EXIT_UNKNOWN, EXIT_VIOLATION, InputError } from '../errors.ts';

const HELP = `usage: heal lincheck FILE [options]

  --format F      auto|porcupine-etcd|jepsen-edn|json (default auto)
  --model M       ${Object.keys(MODELS).join('|')} (default: guessed from the operations)
${Object.entries(MODELS)
  .map(([name, m]) => `                    ${name}: ${m.summary}`)
  .join('\n')}
  --initial V     initial value of the register / of every key (JSON or nil; e.g. 0, "", nil)
  --timeout SEC   give up with 'unknown' after SEC seconds (default: no limit)
  --html OUT      write a self-contained HTML view of the history (and the failure)
  --json          print {"linearizable", "operations", "partitions", "seconds"} as the last line

exit codes: 0 linearizable, 1 not linearizable, 2 bad input or usage, 3 unknown (timeout)`;

interface Flags {
  file: string;
  format: HistoryFormat | 'auto';
  model: string | undefined;
  initial: HistoryValue | undefined;
  timeoutMs: number | undefined;
  html: string | undefined;
  json: boolean;
}

function parseFlags(argv: string[]): Flags | 'help' {
  const flags: Flags = { file: '', format: 'auto', model: undefined, initial: undefined, timeoutMs: undefined, html: undefined, json: false };
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
      case '--html':
        flags.html = value();
        break;
      case '--json':
        flags.json = true;
        break;
      default:
        if (arg.startsWith('-')) throw new InputError(`unknown option '${arg}'\n\n${HELP}`);
        files.push(arg);
    }
  }
  if (files.length !== 1) throw new InputError(`expected exactly one history FILE, got ${files.length}\n\n${HELP}`);
  flags.file = files[0];
  return flags;
}

function parseInitial(v: string): HistoryValue {
  if (v === 'nil') return null;
  try {
    const parsed: unknown = JSON.parse(v);
    if (parsed === null || ['number', 'string', 'boolean'].includes(typeof parsed)) return parsed as HistoryValue;
  } catch {
    // a bare word: taken as a string below
  }
  if (/^[\w.-]*$/.test(v)) return v;
  throw new InputError(`--initial: expected nil, a number, true/false or a string, got '${v}'`);
}

export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (flags === 'help') {
    console.log(HELP);
    return EXIT_OK;
  }
  let text: string;
  try {
    text = readFileSync(flags.file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${flags.file}: ${(e as Error).message}`);
  }
  try {
    const history = parseHistory(text, flags.format, flags.file);
    const modelName = flags.model ?? (history.format === 'porcupine-etcd' ? 'cas-register' : guessModel(history.events));
    let model;
    try {
      model = MODELS[modelName].create(flags.initial);
    } catch (e) {
      throw new InputError(`--initial: ${(e as Error).message}`);
    }
    const ops = buildOperations(history.events, model, { source: history.source });
    const started = performance.now();
    const result = checkOperations(ops, model, { timeoutMs: flags.timeoutMs });
    const seconds = (performance.now() - started) / 1000;

    const head = `${flags.file}: ${ops.length} operations, ${result.partitions} partition(s), model ${modelName}, format ${history.format}, ${(seconds * 1000).toFixed(1)} ms`;
    console.log(head);
    if (result.result === 'ok') console.log('linearizable');
    else if (result.result === 'unknown') {
      console.log(`unknown: the time budget ran out${result.unfinishedKey === undefined ? '' : ` while checking key ${JSON.stringify(result.unfinishedKey)}`}`);
    } else if (result.explanation) for (const line of formatExplanation(model, result.explanation)) console.log(line);
    else console.log('not linearizable');

    if (flags.html) {
      writeAtomically(flags.html, renderHtml(basename(flags.file), ops, model, result));
      console.log(`wrote ${flags.html}`);
    }
    if (flags.json) {
      const linearizable = result.result === 'ok' ? true : result.result === 'illegal' ? false : null;
      console.log(JSON.stringify({ linearizable, operations: ops.length, partitions: result.partitions, seconds }));
    }
    return result.result === 'ok' ? EXIT_OK : result.result === 'illegal' ? EXIT_VIOLATION : EXIT_UNKNOWN;
  } catch (e) {
    if (e instanceof HistoryError) throw new InputError(e.message);
    throw e;
  }
}

function writeAtomically(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
