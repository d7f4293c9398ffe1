import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';

/**
 * PGlite has no autovacuum, so its planner statistics never follow the data: a store whose HNSW
 * index was built while empty keeps planning search as a full sort (68 ms instead of 7 ms at 10k
 * rows). This refreshes them once syncs have written `threshold` rows, and after that once they
 * have written as many rows as the table held at the last refresh. Doubling is enough because
 * the planner scales the analyzed row density by the table's current size; a fixed step made a
 * 100k-row ingest analyze 50 times, each time reading a larger sample.
 */
export function createStatisticsRefresher(
  db: Kysely<Database>,
  threshold = 2_000,
): (rowsWritten: number) => Promise<void> {
  let sinceRefresh = 0;
  let nextRefresh = threshold;
  return async (rowsWritten) => {
    sinceRefresh += rowsWritten;
    if (sinceRefresh < nextRefresh) return;
    sinceRefresh = 0;
    await sql`analyze transactions, transaction_embeddings`.execute(db);
    const analyzed = await sql<{ rows: number }>`
      select reltuples::float8 as rows from pg_class where oid = 'transactions'::regclass
    `.execute(db);
    nextRefresh = Math.max(threshold, Number(analyzed.rows[0]?.rows ?? 0));
  };
}
