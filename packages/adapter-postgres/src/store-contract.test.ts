import { runStoreContract } from '@finkit/core/testing';
import { describe, it } from 'vitest';
import { createRawReader } from '../test/create-raw-reader.js';
import { createTestPGlite, createTestSchema, onServer, serverUrl } from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import { migrate } from './migrate.js';

runStoreContract('postgres on PGlite', async ({ clock }) => {
  const pglite = createTestPGlite();
  await migrate(pglite);
  const store = await createPostgresStore({ db: pglite, clock });
  return {
    store,
    raw: createRawReader(
      async (text, params) => (await pglite.query<Record<string, unknown>>(text, params)).rows,
    ),
    cleanup: () => pglite.close(),
  };
});

const url = serverUrl;
if (url) {
  runStoreContract(onServer('postgres'), async ({ clock }) => {
    const target = await createTestSchema(url);
    await migrate(target.pool);
    const store = await createPostgresStore({ db: target.pool, clock });
    return {
      store,
      raw: createRawReader(async (text, params) => (await target.pool.query(text, params)).rows),
      cleanup: () => target.drop(),
    };
  });
} else {
  // The reason is in the title; the suite itself needs a server to register against.
  describe.skip(onServer('Store contract: postgres'), () => {
    it('every Store contract test', () => {});
  });
}
