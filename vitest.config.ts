import { defineConfig } from 'vitest/config';

// CI sets FINKIT_TEST_REPORT to a path; the JSON report there is what .ci/run counts.
const report = process.env.FINKIT_TEST_REPORT;

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
    reporters: report ? ['default', 'json'] : ['default'],
    ...(report ? { outputFile: { json: report } } : {}),
  },
});
