#!/usr/bin/env node
// Compiles the CLI once into dist/ so that a start does not transpile TypeScript (tsx took
// about 2 s of CPU per start). `npm ci` runs it as `prepare`, `npm test` before the tests.
//
// esbuild, not tsc: it bundles, and bundling is what makes start-up fast. zod alone is
// 106 modules; loaded one by one through Node's ESM loader it cost more than the rest of
// a `heal lincheck` run (measured: per-file tsc output ran lincheck at about 1.5x the CPU
// of the bundle). esbuild also takes well under a second where `tsc` takes about 6 s and
// would type-check again what `npm test` already checks with `tsc --noEmit`. esbuild is
// not a dependency of ours: it is tsx's own, so it is resolved from tsx's folder.
//
// The output is flat (every entry and chunk directly in dist/), which is what
// checker/locate.ts relies on to find the project root and the entry modules.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The modules started on their own: the CLI, the worker threads, and the model factories
 * that worker threads and replays import by URL (cli/models/index.ts). Each becomes
 * dist/<name>.js; checker/locate.ts `entryModule` maps a source path to it.
 */
export const ENTRY_POINTS = ['cli/main.ts', 'checker/explore/worker.ts', 'checker/lincheck/partition-worker.ts', 'spec/models/registry.ts', 'model/heal.ts', 'model/hermes-tla.ts', 'runtime/child.ts'];

/** Besides the bundled sources, files whose change makes a build stale: how it is built, and the dependencies' versions. */
const BUILD_FILES = ['bin/build.mjs', 'package-lock.json'];

/**
 * dist/build.json: when the build started (ms since the epoch) and every file of ours it
 * was made from (esbuild's list of its inputs, project-relative).
 */
const STAMP = 'build.json';

/**
 * Whether dist/ holds a build of the current sources: none of the files it was made from
 * changed (or went missing) since that build started. A new file matters only once an
 * existing one imports it, and that one has changed. Statting the listed files takes
 * under a millisecond; walking the source folders took 10-30 ms.
 */
export function buildIsCurrent(dir = root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(`${dir}/dist/${STAMP}`, 'utf8'));
  } catch {
    return false;
  }
  if (typeof stamp?.started !== 'number' || !Array.isArray(stamp.inputs)) return false;
  for (const file of BUILD_FILES) {
    if ((statSync(`${dir}/${file}`, { throwIfNoEntry: false })?.mtimeMs ?? 0) > stamp.started) return false;
  }
  for (const file of stamp.inputs) {
    const st = statSync(`${dir}/${file}`, { throwIfNoEntry: false });
    if (st === undefined || st.mtimeMs > stamp.started) return false;
  }
  return true;
}

/** zod's error messages in 40 languages; we use English only (zod's default). */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: args.path.replace(/[\\/][^\\/]+$/, ''),
    }));
  },
};

/**
 * Build into a fresh folder, then swap it in, so that a CLI starting meanwhile (a test
 * runs the build while others run the CLI) sees the old build or the new one, never half
 * of one. Returns false when esbuild is not installed.
 */
export async function build(dir = root) {
  let esbuild;
  try {
    const fromTsx = createRequire(createRequire(`${dir}/package.json`).resolve('tsx'));
    esbuild = await import(fromTsx.resolve('esbuild'));
  } catch {
    return false;
  }
  // Dated at the start: a source edited while esbuild runs makes this build stale.
  const started = Date.now();
  const fresh = `${dir}/dist.new-${process.pid}`;
  const old = `${dir}/dist.old-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: dir,
      entryPoints: ENTRY_POINTS,
      outdir: fresh,
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minify: true,
      // Stack traces of internal errors stay readable under `node --enable-source-maps`.
      sourcemap: 'linked',
      plugins: [zodEnglishOnly],
      logLevel: 'warning',
      metafile: true,
    });
  } catch (e) {
    rmSync(fresh, { recursive: true, force: true });
    throw e;
  }
  const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules/')).sort();
  writeFileSync(`${fresh}/${STAMP}`, `${JSON.stringify({ started, inputs }, null, 1)}\n`);
  // Another build may swap its folder in between our two renames: move that one aside too.
  for (let attempt = 0; ; attempt++) {
    mkdirSync(`${dir}/dist`, { recursive: true });
    rmSync(old, { recursive: true, force: true });
    renameSync(`${dir}/dist`, old);
    try {
      renameSync(fresh, `${dir}/dist`);
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
  rmSync(old, { recursive: true, force: true });
  return true;
}

/** Leftovers of builds that were killed between their renames. */
function cleanLeftovers(dir) {
  for (const name of readdirSync(dir)) {
    if (/^dist\.(new|old)-\d+$/.test(name)) {
      const pid = Number(name.slice(name.lastIndexOf('-') + 1));
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = pid !== process.pid;
      } catch {
        alive = false;
      }
      if (!alive) rmSync(`${dir}/${name}`, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  cleanLeftovers(root);
  const t = Date.now();
  if (await build()) {
    console.log(`heal: built dist/ in ${Date.now() - t} ms`);
  } else {
    // Without esbuild (tsx not installed) bin/heal.mjs runs the TypeScript sources.
    console.log('heal: esbuild not found (it comes with tsx); bin/heal.mjs will run the TypeScript sources');
  }
}
