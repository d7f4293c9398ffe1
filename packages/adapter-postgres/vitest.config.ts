import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'adapter-postgres',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Starting PGlite (a WebAssembly PostgreSQL) takes seconds on a busy machine; these are not timing checks.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
