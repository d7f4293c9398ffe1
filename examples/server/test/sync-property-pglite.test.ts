import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { createPostgresStore } from '@finkit/adapter-postgres';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkSyncConvergence } from '../../../packages/plaid/test/check-sync-convergence.js';

// The sync property of @finkit/plaid's tests on the PostgreSQL store over PGlite. Starting a
// PGlite takes seconds here, so one instance serves every run and each run gets a fresh schema
// (migrate works on the first schema on search_path); fewer runs than the memory store, same property.

describe('sync engine against the Plaid sandbox (property) on PGlite', () => {
  let pglite: PGlite;

  beforeAll(async () => {
    pglite = new PGlite('memory://', { extensions: { vector } });
    // In `public`, where each run's search_path still finds it, so dropping a run's schema keeps it.
    await pglite.exec('create extension if not exists vector');
  }, 120_000);

  afterAll(async () => {
    await pglite?.close();
  });

  it('converges to the sandbox truth and keeps every user edit', async () => {
    await checkSyncConvergence(
      async () => {
        const schema = `sync_property_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
        await pglite.exec(`create schema ${schema}; set search_path to ${schema}, public`);
        const store = await createPostgresStore({ db: pglite, migrate: true });
        return {
          store,
          // PGlite is one session in one process: a second store on it would share its transactions.
          peer: store,
          async close() {
            await store.close();
            await pglite.exec(`set search_path to public; drop schema ${schema} cascade`);
          },
        };
      },
      { numRuns: 4 },
    );
  }, 120_000);
});
