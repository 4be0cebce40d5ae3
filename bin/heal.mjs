#!/usr/bin/env node
// Starts the CLI from its build in dist/ (bin/build.mjs, which `npm ci` and `npm test`
// run): transpiling the TypeScript with tsx at every start cost about 2 s of CPU.
// When the build is missing or older than the sources, it runs the sources through tsx
// instead, so an edit is never answered by old code, only more slowly.
//   HEAL_FROM_SOURCE=1  always run the sources (tsx)
//   HEAL_FROM_SOURCE=0  run the build or fail (exit 2): tests and benchmarks of the build
import { buildIsCurrent } from './build.mjs';

const mode = process.env.HEAL_FROM_SOURCE;
let main;
if (mode !== '1' && buildIsCurrent()) {
  ({ main } = await import('../dist/main.js'));
} else if (mode === '0') {
  process.stderr.write("heal: HEAL_FROM_SOURCE=0 but dist/ is missing or older than the sources; run 'npm run build'\n");
  process.exit(2);
} else {
  if (mode !== '1' && process.stderr.isTTY) {
    process.stderr.write("heal: dist/ is missing or older than the sources, running them through tsx (slow to start; 'npm run build' fixes that)\n");
  }
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
