/**
 * Porcupine's timing harness (../shared/tools/porcupine-bench/, Go), for side-by-side
 * figures. Not a dependency: the benchmarks use it only when `go` and the harness are
 * there (or PORCBENCH names a built binary), and say so otherwise.
 *
 *   PORCBENCH=/path/to/porcbench          a binary already built
 *   PORCUPINE_HARNESS=/path/to/porcbench  the harness's Go sources (default: beside the repository)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Harness = { readonly bin: string } | { readonly missing: string };

let found: Harness | undefined;

export function porcupineHarness(root: string): Harness {
  if (found !== undefined) return found;
  found = locate(root);
  return found;
}

function locate(root: string): Harness {
  const given = process.env.PORCBENCH;
  if (given !== undefined) return existsSync(given) ? { bin: given } : { missing: `PORCBENCH=${given} does not exist` };
  const sources = process.env.PORCUPINE_HARNESS ?? join(root, '../shared/tools/porcupine-bench/porcbench');
  if (!existsSync(join(sources, 'main.go'))) return { missing: `no harness at ${sources} (set PORCUPINE_HARNESS or PORCBENCH)` };
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0) return { missing: 'no `go` on the PATH (the harness is Go; see its README)' };
  const bin = join(mkdtempSync(join(tmpdir(), 'heal-porcbench-')), 'porcbench');
  // Offline: the harness vendors Porcupine beside it, no module is downloaded.
  const built = spawnSync('go', ['build', '-o', bin, '.'], {
    cwd: sources,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off' },
  });
  if (built.status !== 0) return { missing: `go build failed in ${sources}: ${built.stderr.trim().split('\n')[0]}` };
  return { bin };
}

/** One file through `porcbench check`, single-threaded as the harness's README says. */
export const porcupineEnv = { ...process.env, GOMAXPROCS: '1' };
