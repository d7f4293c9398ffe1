import { afterAll, describe, expect, it } from 'vitest';
import { seedConnection, transaction } from '../test/sync-fixtures.js';
import { createTestPGlite } from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import { migrate } from './migrate.js';

const pglite = createTestPGlite();
afterAll(() => pglite.close());

async function estimatedRows(): Promise<number> {
  const result = await pglite.query<{ rows: number }>(
    `select reltuples::int as rows from pg_class where relname = 'transactions'`,
  );
  return result.rows[0]?.rows ?? -1;
}

describe('planner statistics on PGlite', () => {
  it('follow the data after large syncs, ever less often as the table grows', async () => {
    // Migrated empty with the HNSW index, as the example server's store is.
    await migrate(pglite, { embeddingDimensions: 3 });
    const store = await createPostgresStore({ db: pglite });
    const { batch } = await seedConnection(store);
    const rows = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => transaction(`t-${from + i}`));
    await store.applySyncBatch(batch(rows(0, 500)));
    // Below the threshold nothing is analyzed: PGlite still believes the table is empty.
    expect(await estimatedRows()).toBeLessThan(1);
    await store.applySyncBatch(batch(rows(500, 1_600)));
    expect(await estimatedRows()).toBe(2_100);
    // From then on a refresh waits until as many rows as the table held have been written.
    await store.applySyncBatch(batch(rows(2_100, 2_000)));
    expect(await estimatedRows()).toBe(2_100);
    await store.applySyncBatch(batch(rows(4_100, 200)));
    expect(await estimatedRows()).toBe(4_300);
    await store.close();
  }, 120_000);
});
