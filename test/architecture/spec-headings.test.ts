/**
 * spec/*.md headings name the file and function of each rule, so a rule is one hop from
 * its code (issue 10): "`onInv` in [write-path.ts](../src/protocol/write-path.ts)",
 * "`lostBuddy`/`chooseNewBuddy` in [...](...)", "the `read` action in [...](...)". Checked
 * here: every file a heading links exists, every name bound to a file is defined in it
 * (`heal.record`: `record` in the file), and every rule heading binds at least one name.
 * A rename in the code without the spec then fails this test instead of leaving a
 * heading that points at nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const specDir = join(root, 'spec');

/** Backticked names (joined by `,`, `/` or "and"), an optional "action", then "in [text](path)". */
const BINDING = /((?:`[\w$.]+`(?:\s*,\s*|\s*\/\s*|\s+and\s+)?)+)(?:\s+action)?\s+in\s+\[[^\]]*\]\(([^)#\s]+)(?:#[^)]*)?\)/g;
const LINK = /\[[^\]]*\]\(([^)#\s]+)(?:#[^)]*)?\)/g;
/** A rule heading: "Rule X-…", or an anchor with a rule ID (r-, p-, c-, h-, f-). */
const RULE_HEADING = /\bRule [A-Z]+-|<a id="[rpchf]-[a-z0-9-]+"><\/a>/;

function escape(name: string): string {
  return name.replace(/[$]/g, '\\$');
}

/** Whether `source` defines `name`: a function, binding, class or type, an object or interface member, or an action kind. */
export function defines(source: string, name: string): boolean {
  const n = escape(name);
  return [
    new RegExp(`\\bfunction\\*?\\s+${n}\\b`),
    new RegExp(`\\b(?:const|let|var|class|interface|type|enum)\\s+${n}\\b`),
    new RegExp(`^\\s*(?:readonly\\s+|async\\s+|get\\s+)?${n}\\??\\s*[(:<]`, 'm'),
    new RegExp(`^\\s*${n},?\\s*$`, 'm'),
    new RegExp(`case\\s+'${n}'`),
  ].some((re) => re.test(source));
}

export interface HeadingProblem {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

/** What is wrong with the headings of one markdown text (`file` relative to the repository, for messages and links). */
export function headingProblems(file: string, text: string, read: (path: string) => string | null): HeadingProblem[] {
  const out: HeadingProblem[] = [];
  const lines = text.split('\n');
  let fenced = false;
  lines.forEach((l, i) => {
    if (l.startsWith('```')) fenced = !fenced;
    if (fenced || !/^#{1,6} /.test(l)) return;
    const at = (problem: string) => out.push({ file, line: i + 1, problem });
    for (const m of l.matchAll(LINK)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const path = relative(root, resolve(root, dirname(file), target));
      if (read(path) === null) at(`links ${target}, which does not exist`);
    }
    let bindings = 0;
    for (const m of l.matchAll(BINDING)) {
      bindings++;
      const path = relative(root, resolve(root, dirname(file), m[2]!));
      const source = read(path);
      if (source === null) continue;
      for (const [, name] of m[1]!.matchAll(/`([\w$.]+)`/g)) {
        const last = name!.split('.').pop()!;
        if (!defines(source, last)) at(`names \`${name}\` in ${path}, which does not define ${last}`);
      }
    }
    if (bindings === 0 && RULE_HEADING.test(l)) at('a rule heading that names no function in a linked file ("`fn` in [file.ts](path)")');
  });
  return out;
}

function readRepoFile(path: string): string | null {
  const full = join(root, path);
  if (!existsSync(full)) return null;
  try {
    return readFileSync(full, 'utf8');
  } catch {
    return ''; // a folder: it exists, and defines nothing
  }
}

describe('spec headings point at code that exists', () => {
  const specs = readdirSync(specDir).filter((f) => f.endsWith('.md')).map((f) => `spec/${f}`);

  it('every linked file exists, every named function is defined there, every rule heading names one', () => {
    const problems = specs.flatMap((f) => headingProblems(f, readFileSync(join(root, f), 'utf8'), readRepoFile));
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.problem}`)).toEqual([]);
  });

  it('the rule headings of the protocol files all bind a function (the check is not vacuous)', () => {
    for (const f of ['spec/replica.md', 'spec/persistency.md', 'spec/recovery.md', 'spec/cluster-model.md']) {
      const text = readFileSync(join(root, f), 'utf8');
      const rules = text.split('\n').filter((l) => /^#{1,6} /.test(l) && RULE_HEADING.test(l));
      expect(rules.length, f).toBeGreaterThan(0);
      expect(rules.filter((l) => [...l.matchAll(BINDING)].length === 0), f).toEqual([]);
    }
  });

  it('reports a missing file, a function the file does not define, and a rule heading without code', () => {
    const files: Record<string, string> = { 'src/a.ts': 'export function onInv() {}\nexport const heal = {\n  record(x) {},\n};\n' };
    const read = (p: string) => files[p] ?? null;
    const text = [
      '# T',
      '### <a id="r-one"></a>Rule R-ONE (`onInv` in [a.ts](../src/a.ts))',
      '### Rule R-TWO (`heal.record`, `onAck` in [a.ts](../src/a.ts))',
      '### Rule R-THREE (`x` in [b.ts](../src/b.ts))',
      '### <a id="h-four"></a>H-FOUR — prose only (`onInv`)',
      '## Not a rule',
    ].join('\n');
    expect(headingProblems('spec/t.md', text, read).map((p) => [p.line, p.problem])).toEqual([
      [3, 'names `onAck` in src/a.ts, which does not define onAck'],
      [4, 'links ../src/b.ts, which does not exist'],
      [5, 'a rule heading that names no function in a linked file ("`fn` in [file.ts](path)")'],
    ]);
  });
});
