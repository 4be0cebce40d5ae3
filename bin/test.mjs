#!/usr/bin/env node
// `npm test`: build dist/ (the tests run the CLI as users do), then the type check and the
// test suite side by side. tsc takes about 10 s of one core; run first, it added its whole
// wall time to the suite's, while the suite's last minute leaves a core idle now and then.
// Arguments go to vitest (.ci/run passes its reporters). Exit status: the first failure's.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
// Their bin scripts by path: neither package exports them.
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const vitest = join(root, 'node_modules/vitest/vitest.mjs');

const build = spawnSync(process.execPath, ['bin/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** Runs a node script; resolves to its exit status, with its output when captured. */
function run(script, args, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), output }));
  });
}

// tsc's report waits for the suite's end so that the two do not interleave.
const [types, tests] = await Promise.all([
  run(tsc, ['--noEmit'], true),
  run(vitest, ['run', ...process.argv.slice(2)], false),
]);
if (types.status !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${types.output}`);
else process.stdout.write('tsc --noEmit: no type errors\n');
process.exit(types.status !== 0 ? types.status : tests.status);
