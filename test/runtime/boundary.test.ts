/**
 * The runtime is an I/O shell around the pure core: src/ never imports runtime/, and in
 * runtime/ only the adapter runtime/node/core.ts imports src/, so every call from a
 * running node into the protocol passes one visible door.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

it('src/ never imports runtime/', () => {
  const bad = files('src').filter((f) => imports(f).some((i) => i.includes('runtime/')));
  expect(bad).toEqual([]);
});

it('in runtime/, only runtime/node/core.ts imports src/', () => {
  const importers = files('runtime').filter((f) => imports(f).some((i) => i.includes('/src/')));
  expect(importers).toEqual(['runtime/node/core.ts']);
});

it('the check sees an import of src/ (it is not vacuous)', () => {
  expect(imports('runtime/node/core.ts').filter((i) => i.includes('/src/protocol/')).length).toBeGreaterThan(3);
});
