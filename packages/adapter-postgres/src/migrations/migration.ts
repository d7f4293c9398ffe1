import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

export interface MigrationContext {
  /** Fixes the vector column's dimension (and enables the HNSW index) when given. */
  embeddingDimensions?: number;
}

/** One forward-only step. Runs inside the migration transaction, under the advisory lock. */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Database>, context: MigrationContext): Promise<void>;
}
