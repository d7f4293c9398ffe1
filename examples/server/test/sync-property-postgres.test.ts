import { createPostgresStore } from '@finkit/adapter-postgres';
import pg from 'pg';
import { describe, it } from 'vitest';
import {
  createTestSchema,
  onServer,
  serverUrl,
} from '../../../packages/adapter-postgres/test/test-databases.js';
import { checkSyncConvergence } from '../../../packages/plaid/test/check-sync-convergence.js';

// The sync property of @finkit/plaid's tests on the PostgreSQL store over a real server, with a
// second store on its own pool as the second process. Each run gets a fresh schema, dropped after
// it, so runs (and concurrent CI jobs) never see each other.

describe.skipIf(!serverUrl)(onServer('sync engine against the Plaid sandbox (property)'), () => {
  it('converges to the sandbox truth and keeps every user edit', async () => {
    await checkSyncConvergence(
      async () => {
        const target = await createTestSchema(serverUrl!);
        // The second process: its own pool and store on the same schema.
        const peerPool = new pg.Pool({
          connectionString: serverUrl,
          options: `-c search_path=${target.schema}`,
          max: 4,
        });
        const close = async () => {
          await peerPool.end();
          await target.drop();
        };
        try {
          const store = await createPostgresStore({ db: target.pool, migrate: true });
          const peer = await createPostgresStore({ db: peerPool });
          return {
            store,
            peer,
            async close() {
              await store.close();
              await peer.close();
              await close();
            },
          };
        } catch (error) {
          await close();
          throw error;
        }
      },
      { numRuns: 10 },
    );
  }, 120_000);
});
