/**
 * The dependency rules of the README's architecture section, checked over every import
 * (static, re-export and dynamic) in the tree, read with TypeScript's own parser:
 *
 * - src/ imports nothing of ours outside itself, and no Node built-in, nor touches the
 *   clock or randomness: a state machine is a pure function of its input;
 * - spec/ imports only types from src/, and nothing of checker/, cli/, bench/, test/;
 * - checker/ knows nothing of HEAL: nothing of src/, model/, cli/, bench/, test/, and of
 *   spec/ only the formats and interfaces it is generic over (ALLOWED_SPEC_FOR_CHECKER);
 * - model/ (where src/, spec/ and checker/ meet as a checker Model) takes only from those
 *   three, and only cli/, test/ and bench/ import it;
 * - cli/ imports nothing of bench/ or test/;
 * - nothing outside bench/ imports bench/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';
import { describe, expect, it } from 'vitest';

// Node's own require: through vitest's module loader the compiler took seconds to load.
const ts = createRequire(import.meta.url)('typescript') as typeof TS;

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Top-level folders that hold no source of ours. */
const NOT_SOURCE = new Set(['node_modules', 'traces', 'examples']);

/** What checker/ may take from spec/: the history format and the sequential-model interface. */
const ALLOWED_SPEC_FOR_CHECKER = new Set(['spec/history.ts', 'spec/models/types.ts']);

interface Import {
  /** Project-relative path of the importing file. */
  readonly from: string;
  /** Project-relative path of the target, or the bare specifier ('node:fs', 'zod'). */
  readonly to: string;
  /** A file of ours (a relative specifier), not a package or a Node built-in. */
  readonly ours: boolean;
  readonly typeOnly: boolean;
}

function importsOf(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const out: Import[] = [];
  const add = (spec: TS.Expression | undefined, typeOnly: boolean) => {
    if (spec === undefined || !ts.isStringLiteralLike(spec)) return;
    const s = spec.text;
    const ours = s.startsWith('.');
    const to = ours ? relative(root, resolve(root, dirname(file), s)).split('\\').join('/') : s;
    out.push({ from: file, to, ours, typeOnly });
  };
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, allTypes);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal as TS.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const roomOf = (path: string): string => path.split('/')[0]!;

/** Code that reads the clock, draws random numbers or reaches the process (over tokens, so comments and strings do not count). */
const IMPURE = /\b(Date \. now|new Date\b|Math \. random|performance \.|process \.|setTimeout|setInterval|crypto \.)/;

/** The file's tokens, one space apart, comments dropped and string literals emptied. */
function tokens(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    const literal = t === ts.SyntaxKind.StringLiteral || t === ts.SyntaxKind.NoSubstitutionTemplateLiteral || t === ts.SyntaxKind.TemplateHead;
    out.push(literal ? '""' : scanner.getTokenText());
  }
  return out.join(' ');
}

/** The rule each import breaks, if any; `text` is the importing file's source (for src/ purity). */
function violations(imports: readonly Import[], sources: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const i of imports) {
    const from = roomOf(i.from);
    const bare = !i.ours;
    const to = bare ? null : roomOf(i.to);
    const say = (rule: string) => found.push(`${i.from} imports ${i.to}: ${rule}`);
    if (from === 'src') {
      if (to !== null && to !== 'src') say('src/ imports nothing of ours outside itself');
      if (bare && i.to.startsWith('node:')) say('src/ uses no Node built-in (no clock, randomness, file system or network)');
    } else if (from === 'spec') {
      if (to === 'src' && !i.typeOnly) say('spec/ imports only types from src/');
      if (to !== null && to !== 'src' && to !== 'spec') say('spec/ imports nothing of checker/, cli/, bench/ or test/');
    } else if (from === 'checker') {
      if (to === 'src' || to === 'model' || to === 'cli' || to === 'bench' || to === 'test') say('checker/ knows nothing of HEAL, the CLI, benchmarks or tests');
      if (to === 'spec' && !ALLOWED_SPEC_FOR_CHECKER.has(i.to)) say(`checker/ takes from spec/ only ${[...ALLOWED_SPEC_FOR_CHECKER].join(', ')}`);
    } else if (from === 'model') {
      if (to !== null && !['model', 'src', 'spec', 'checker'].includes(to)) say('model/ takes only from src/, spec/ and checker/');
    } else if (from === 'cli') {
      if (to === 'bench' || to === 'test') say('cli/ imports nothing of bench/ or test/');
    }
    if (to === 'model' && !['model', 'cli', 'test', 'bench'].includes(from)) say('only cli/, test/ and bench/ import model/');
    if (to === 'bench' && from !== 'bench') say('nothing outside bench/ imports bench/');
  }
  for (const [file, text] of sources) {
    if (roomOf(file) !== 'src') continue;
    const m = IMPURE.exec(tokens(text));
    if (m) found.push(`${file} uses ${m[1]!.replaceAll(' ', '')}: src/ touches no clock, randomness or process state`);
  }
  return found;
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|mjs)$/.test(e.name)) files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('dist') && !NOT_SOURCE.has(e.name)) walk(e.name);
  }
  return files;
}

describe('dependency direction (README, Architecture)', () => {
  const sources = sourceFiles();
  const imports = [...sources].flatMap(([file, text]) => importsOf(file, text));

  it('the tree breaks no rule', () => {
    // Sanity: the parser sees the imports (a rule over no imports would pass vacuously).
    expect(imports.filter((i) => i.from.startsWith('checker/')).length).toBeGreaterThan(100);
    expect(imports.some((i) => i.from === 'cli/commands/bench.ts' && i.to === 'cli/bench/configs.ts')).toBe(true);
    expect(imports.some((i) => i.from === 'test/cluster/harness.ts' && i.to === 'model/heal.ts')).toBe(true);
    expect(violations(imports, sources)).toEqual([]);
  });

  it('each rule catches an import that breaks it', () => {
    const planted = new Map<string, string>([
      ['src/a.ts', "import { x } from '../checker/model.ts';\nimport { r } from '../runtime/node.ts';\nimport { readFileSync } from 'node:fs';\nexport const t = Date.now(); // Math.random in a comment is fine\nconst u = 'process.env in a string is fine';\n"],
      ['spec/b.ts', "import { next } from '../src/cluster/next.ts';\nimport type { S } from '../src/cluster/state.ts';\nimport { type T } from '../src/cluster/state.ts';\nimport { y } from '../cli/flags.ts';\n"],
      ['checker/c.ts', "import type { M } from '../spec/models/kv.ts';\nimport type { H } from '../spec/history.ts';\nconst m = await import('../src/mutants.ts');\nimport type { H2 } from '../model/heal.ts';\n"],
      ['cli/d.ts', "export { z } from '../bench/x.ts';\n"],
      ['model/f.ts', "import { createHealModel } from './heal.ts';\nimport { InputError } from '../cli/errors.ts';\n"],
      ['runtime/g.ts', "import { createHealModel } from '../model/heal.ts';\n"],
      ['test/e.ts', "import { w } from '../bench/y.ts';\n"],
    ]);
    const found = violations([...planted].flatMap(([f, t]) => importsOf(f, t)), planted);
    expect(found).toEqual([
      "src/a.ts imports checker/model.ts: src/ imports nothing of ours outside itself",
      'src/a.ts imports runtime/node.ts: src/ imports nothing of ours outside itself',
      'src/a.ts imports node:fs: src/ uses no Node built-in (no clock, randomness, file system or network)',
      'spec/b.ts imports src/cluster/next.ts: spec/ imports only types from src/',
      'spec/b.ts imports cli/flags.ts: spec/ imports nothing of checker/, cli/, bench/ or test/',
      'checker/c.ts imports spec/models/kv.ts: checker/ takes from spec/ only spec/history.ts, spec/models/types.ts',
      'checker/c.ts imports src/mutants.ts: checker/ knows nothing of HEAL, the CLI, benchmarks or tests',
      'checker/c.ts imports model/heal.ts: checker/ knows nothing of HEAL, the CLI, benchmarks or tests',
      'checker/c.ts imports model/heal.ts: only cli/, test/ and bench/ import model/',
      'cli/d.ts imports bench/x.ts: cli/ imports nothing of bench/ or test/',
      'cli/d.ts imports bench/x.ts: nothing outside bench/ imports bench/',
      'model/f.ts imports cli/errors.ts: model/ takes only from src/, spec/ and checker/',
      'runtime/g.ts imports model/heal.ts: only cli/, test/ and bench/ import model/',
      'test/e.ts imports bench/y.ts: nothing outside bench/ imports bench/',
      'src/a.ts uses Date.now: src/ touches no clock, randomness or process state',
    ]);
  });
});
