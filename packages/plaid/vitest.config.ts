import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: 'plaid', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
