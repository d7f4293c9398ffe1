import { createPostgresStore } from '@finkit/adapter-postgres';
import { describe, it } from 'vitest';
import {
  createTestSchema,
  onServer,
  serverUrl,
} from '../../../packages/adapter-postgres/test/test-databases.js';
import { checkSyncConvergence } from '../../../packages/plaid/test/check-sync-convergence.js';

// The sync property of @finkit/plaid's tests on the PostgreSQL store over a real server, each run
// in a fresh schema that is dropped after it, so runs (and concurrent CI jobs) never see each other.

describe.skipIf(!serverUrl)(onServer('sync engine against the Plaid sandbox (property)'), () => {
  it('converges to the sandbox truth and keeps every user edit', async () => {
    await checkSyncConvergence(
      async () => {
        const target = await createTestSchema(serverUrl!);
        try {
          const store = await createPostgresStore({ db: target.pool, migrate: true });
          return {
            ...store,
            async close() {
              await store.close();
              await target.drop();
            },
          };
        } catch (error) {
          await target.drop();
          throw error;
        }
      },
      { numRuns: 6 },
    );
  }, 120_000);
});
