/**
 * The client side of the runtime is a client: it speaks the runtime contract over TCP and
 * imports nothing of the protocol (src/), the checkers (checker/) or the CLI (cli/). What
 * it knows of a node is what a foreign client would know, so `heal load` judges the
 * running system and not our model of it. A file that breaks the rule is named.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../runtime/client', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
}

const allowed = (spec: string) => spec.startsWith('node:') || spec === 'zod' || (spec.startsWith('./') && !spec.includes('..'));

describe('runtime/client imports', () => {
  it('only node built-ins, zod and its own files', () => {
    const bad: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const spec of importsOf(readFileSync(join(dir, f), 'utf8'))) if (!allowed(spec)) bad.push(`runtime/client/${f}: ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it('the rule sees a forbidden import (its mutant)', () => {
    const text = "import { x } from './ok.ts';\nimport type { Y } from '../../src/protocol/types.ts';\nconst m = await import('../../cli/errors.ts');";
    expect(importsOf(text).filter((s) => !allowed(s))).toEqual(['../../src/protocol/types.ts', '../../cli/errors.ts']);
  });
});
