import { FinkitError } from '@finkit/core';
import { sql } from 'kysely';
import { createHnswIndex } from './migrations/transaction-embeddings.js';
import { type DatabaseInput, openDatabase } from './open-database.js';

const buildMemoryKb = 512 * 1024;

/**
 * Builds the HNSW index over the embeddings if it is missing: after a bulk load migrated with
 * `vectorIndex: false`, or on a database migrated before the index existed.
 * @throws CAPABILITY_UNAVAILABLE unless the column is a pgvector column of fixed dimension.
 */
export async function createVectorIndex(input: DatabaseInput): Promise<void> {
  const { db, release } = await openDatabase(input);
  try {
    const column = await sql<{ type: string }>`
      select format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
      where a.attrelid = to_regclass('transaction_embeddings') and a.attname = 'embedding'
    `.execute(db);
    if (!/^vector\(\d+\)$/.test(column.rows[0]?.type ?? '')) {
      throw new FinkitError(
        'CAPABILITY_UNAVAILABLE',
        'An HNSW index needs a pgvector column of fixed dimension: migrate with embeddingDimensions where `CREATE EXTENSION vector` works',
        { details: { column: column.rows[0]?.type ?? null } },
      );
    }
    await db.transaction().execute(async (trx) => {
      // pgvector builds the graph in memory while it fits in maintenance_work_mem and far more
      // slowly on disk after that; 100k vectors of 384 dimensions alone outgrow the 64 MB default.
      // Raised (never lowered) for this build only.
      await sql`
        select set_config('maintenance_work_mem', greatest(setting::bigint, ${buildMemoryKb})::text || 'kB', true)
        from pg_settings where name = 'maintenance_work_mem'
      `.execute(trx);
      await createHnswIndex(trx);
    });
    // Fresh statistics after a bulk load, so the planner picks the index for k-nearest queries.
    // Both sides of the search join count: with stale `transactions` stats (PGlite runs no
    // autovacuum) the planner drives from transactions and sorts every row, 50 ms vs 4 ms at 10k.
    await sql`analyze transactions, transaction_embeddings`.execute(db);
  } finally {
    await release();
  }
}
