#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so that `npx heal` works straight after
// `npm ci`, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
