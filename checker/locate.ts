/**
 * Where files are at run time. The code runs from its TypeScript sources (tsx, vitest) or
 * from the build, which bin/build.mjs bundles into dist/ with every entry and chunk
 * directly in that folder. This file sits one folder below the project root, and so does
 * whichever bundle chunk holds its code: `..` is the root either way. Paths built at run
 * time (worker entries, model modules, files at the root) go through here because no
 * compiler rewrites them.
 */
const here = import.meta.url;

/** Running from dist/ (bundled JavaScript) rather than from the .ts sources. */
export const compiled = here.endsWith('.js');

const root = new URL('../', here);

/** A file relative to the project root, e.g. 'package.json', 'bin/heal.mjs'. */
export function projectFile(path: string): URL {
  return new URL(path, root);
}

/**
 * The module to import for an entry point given by its source path
 * ('model/heal.ts'): that file when running from the sources, its bundle
 * (dist/heal.js) when running compiled. Only the entry points bin/build.mjs lists
 * exist in the build.
 */
export function entryModule(source: string): URL {
  if (!compiled) return new URL(source, root);
  const name = source.slice(source.lastIndexOf('/') + 1).replace(/\.ts$/, '.js');
  return new URL(`dist/${name}`, root);
}
