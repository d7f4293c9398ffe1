import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

export interface MigrationContext {
  /** Fixes the vector column's dimension (and enables the HNSW index) when given. */
  embeddingDimensions?: number;
  /**
   * Build the HNSW index now (default). Pass false before a bulk load, where inserting into the
   * index row by row is many times slower than building it once after; then call `createVectorIndex`.
   */
  vectorIndex?: boolean;
}

/** One forward-only step. Runs inside the migration transaction, under the advisory lock. */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Database>, context: MigrationContext): Promise<void>;
}
