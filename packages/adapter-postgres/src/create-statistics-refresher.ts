import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';

/**
 * PGlite has no autovacuum, so its planner statistics never follow the data: a store whose HNSW
 * index was built while empty keeps planning search as a full sort (68 ms instead of 7 ms at 10k
 * rows). This refreshes them after every `threshold` rows written by syncs.
 */
export function createStatisticsRefresher(
  db: Kysely<Database>,
  threshold = 2_000,
): (rowsWritten: number) => Promise<void> {
  let sinceRefresh = 0;
  return async (rowsWritten) => {
    sinceRefresh += rowsWritten;
    if (sinceRefresh < threshold) return;
    sinceRefresh = 0;
    await sql`analyze transactions, transaction_embeddings`.execute(db);
  };
}
