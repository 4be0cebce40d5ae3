import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share a worker's module cache: each file importing the checker, the
    // protocol and zod afresh cost about a fifth of the suite's CPU. Every file restores
    // what it patches (vi.restoreAllMocks after each test) and keeps its state in its own
    // temporary directory, so no file sees another's leftovers.
    isolate: false,
  },
});
