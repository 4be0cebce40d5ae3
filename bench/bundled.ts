/**
 * The linearizability benchmarks time the code users run. The CLI runs esbuild's bundle
 * (bin/build.mjs); the same code under tsx ran about 20% slower here (etcd set, CPU time,
 * side by side: 410-450 ms bundled, 485-560 ms under tsx), partly because every use of
 * an imported binding goes through a getter. A benchmark started from its .ts source
 * bundles itself into a temporary folder and runs that instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository: from the environment once bundled elsewhere. */
export const root = process.env.HEAL_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Under tsx: bundles `entry` (an import.meta.url), runs it with the same arguments and
 * returns its exit code. Already bundled (or without esbuild): undefined, run on.
 */
export async function rerunBundled(entry: string): Promise<number | undefined> {
  if (!entry.endsWith('.ts') || process.env.HEAL_ROOT !== undefined) return undefined;
  let esbuild: typeof import('esbuild');
  try {
    const fromTsx = createRequire(createRequire(join(root, 'package.json')).resolve('tsx'));
    esbuild = await import(fromTsx.resolve('esbuild'));
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'heal-bench-'));
  try {
    const out = join(dir, 'bench.mjs');
    await esbuild.build({
      entryPoints: [fileURLToPath(entry)],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
      // Bundled ESM has no `require`; a dependency that uses it gets one.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const main = fileURLToPath(entry).slice(fileURLToPath(entry).lastIndexOf('/') + 1);
    const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, HEAL_ROOT: root, HEAL_BENCH_MAIN: main } });
    return r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether the module named `file` (e.g. 'lincheck-scale.ts') is the one started: once
 * bundled every module shares the bundle's import.meta.url, so the name travels in the
 * environment.
 */
export function isMain(file: string, url: string): boolean {
  if (process.env.HEAL_BENCH_MAIN !== undefined) return process.env.HEAL_BENCH_MAIN === file;
  return url === `file://${process.argv[1]}` && url.endsWith(`/${file}`);
}

/**
 * Makes dist/ current (the benchmarks time the compiled CLI). Imported by path at run
 * time, not bundled: bin/build.mjs finds the repository from its own location.
 */
export async function currentBuild(): Promise<void> {
  const { build, buildIsCurrent } = (await import(pathToFileURL(join(root, 'bin/build.mjs')).href)) as typeof import('../bin/build.mjs');
  if (!buildIsCurrent()) await build();
}
