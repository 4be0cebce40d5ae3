import { readFileSync } from 'node:fs';
import { projectFile } from '../checker/locate.ts';
import { InputError, EXIT_BAD_INPUT, printable } from './errors.ts';

type Command = (argv: string[]) => Promise<number>;

/** Subcommands load lazily so `heal lincheck` does not pay for the model checker. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: {
    summary: 'model-check HEAL (or the Hermes TLA+ port) exhaustively',
    load: async () => (await import('./commands/check.ts')).run,
  },
  replay: {
    summary: 're-execute a saved counterexample trace step by step',
    load: async () => (await import('./commands/replay.ts')).run,
  },
  lincheck: {
    summary: 'check a client history (Jepsen EDN, Porcupine etcd log, JSON) for linearizability',
    load: async () => (await import('./commands/lincheck.ts')).run,
  },
  mutants: {
    summary: 'list the deliberately broken protocol variants and the property each breaks',
    load: async () => (await import('./commands/mutants.ts')).run,
  },
  conform: {
    summary: "check another implementation's recorded run (an event log) against the HEAL model",
    load: async () => (await import('./commands/conform.ts')).run,
  },
  load: {
    summary: 'drive a running cluster (heal cluster) with a workload; record the client history',
    load: async () => (await import('./commands/load.ts')).run,
  },
  nemesis: {
    summary: 'kill and restart a node of a running cluster on a schedule',
    load: async () => (await import('./commands/nemesis.ts')).run,
  },
  experiment: {
    summary: 'measure recovery on real processes (heal experiment recovery)',
    load: async () => (await import('./commands/experiment.ts')).run,
  },
  bench: {
    summary: 'measure explorer throughput, bytes per state and peak memory',
    load: async () => (await import('./commands/bench.ts')).run,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'heal: reference implementation and checkers for HEAL recovery',
    '',
    'usage: heal <command> [options]     (heal <command> --help for its options)',
    '',
    'commands:',
    ...lines,
    '',
    'exit codes: 0 ok, 1 violation / not linearizable, 2 bad input or usage, 3 unknown',
  ].join('\n');
}

/** The package's version, as `heal --version` prints it and traces record it. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

let pipesGuarded = false;

/**
 * A reader that stops early (`heal lincheck h.edn | head -1`) closes the pipe, and every
 * later write fails with EPIPE, which Node raises as an uncaught error (exit 1, read as
 * "not linearizable"). The output is no longer wanted but the verdict still is: drop the
 * rest of the output, finish, and exit with the verdict's code. Once, for every command.
 */
function guardClosedPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  guardClosedPipes();
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    console.log(`heal ${version()}`);
    return 0;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  if (name === undefined) {
    // No command is a usage error: the help goes where errors go, and the exit says so.
    console.error(usage());
    return EXIT_BAD_INPUT;
  }
  const command = commands[name];
  if (!command) {
    console.error(`heal: unknown command '${printable(name)}'\n\n${usage()}`);
    return EXIT_BAD_INPUT;
  }
  try {
    return await (await command.load())(rest);
  } catch (e) {
    if (e instanceof InputError) {
      console.error(`heal ${name}: ${printable(e.message)}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
}
