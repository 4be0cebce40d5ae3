/**
 * A small datadriven file format, after cockroachdb/datadriven as etcd raft uses it for its
 * interaction tests: a file is a list of cases, each a command line, a `----` line and the
 * output the command is expected to print, ended by a blank line. Lines starting with `#`
 * between cases are comments. With REWRITE=1 the runner writes the actual output back
 * instead of comparing, so expected blocks are regenerated, then read and committed.
 */
export interface Case {
  /** 1-based line of the command, for error messages. */
  readonly line: number;
  /** Comment lines (with their '#') and blank lines that come before the command. */
  readonly preamble: readonly string[];
  readonly command: string;
  readonly expected: string;
}

export function parse(text: string, file: string): Case[] {
  const lines = text.split('\n');
  const cases: Case[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.trim() === '' || l.startsWith('#')) {
      preamble.push(l);
      i++;
      continue;
    }
    const line = i + 1;
    const command = l.trim();
    if (lines[i + 1] !== '----') throw new Error(`${file}:${line + 1}: expected '----' after the command '${command}'`);
    i += 2;
    const out: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') out.push(lines[i++]!);
    cases.push({ line, preamble, command, expected: out.join('\n') });
    preamble = [];
  }
  return cases;
}

/** The file with every expected block replaced by the actual output (same order as cases). */
export function rewrite(cases: readonly Case[], actual: readonly string[]): string {
  const out: string[] = [];
  cases.forEach((c, i) => {
    out.push(...c.preamble, c.command, '----');
    if (actual[i]!.length > 0) out.push(actual[i]!);
  });
  return `${out.join('\n')}\n`;
}
