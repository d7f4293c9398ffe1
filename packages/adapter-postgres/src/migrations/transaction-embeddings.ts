import { FinkitError } from '@finkit/core';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../database.js';
import type { Migration } from './migration.js';

/** The HNSW (cosine) index over the embeddings; a no-op when it exists. */
export async function createHnswIndex(db: Kysely<Database>): Promise<void> {
  await sql`
    create index if not exists transaction_embeddings_hnsw_idx on transaction_embeddings
    using hnsw (embedding vector_cosine_ops)
  `.execute(db);
}

/*
 * The vector column exists only where pgvector can be installed. Elsewhere the embeddings are kept
 * as real[] (so nothing an embedder produced is lost) and vector search reports itself unavailable.
 * The attempt runs under a savepoint because a failed CREATE EXTENSION aborts the transaction.
 */
export const transactionEmbeddings: Migration = {
  version: 2,
  name: 'transaction-embeddings',
  async up(db, { embeddingDimensions, vectorIndex = true }) {
    if (
      embeddingDimensions !== undefined &&
      (!Number.isInteger(embeddingDimensions) || embeddingDimensions < 1 || embeddingDimensions > 16000)
    ) {
      throw new FinkitError('VALIDATION', `embeddingDimensions must be an integer from 1 to 16000`, {
        details: { embeddingDimensions },
      });
    }
    await sql`savepoint finkit_vector`.execute(db);
    let vector = true;
    try {
      await sql`create extension if not exists vector`.execute(db);
      await sql`release savepoint finkit_vector`.execute(db);
    } catch {
      await sql`rollback to savepoint finkit_vector`.execute(db);
      vector = false;
    }
    const column = !vector
      ? sql`real[]`
      : embeddingDimensions === undefined
        ? sql`vector`
        : sql`vector(${sql.raw(String(embeddingDimensions))})`;
    await sql`
      create table transaction_embeddings (
        transaction_id text collate "C" not null references transactions (id) on delete cascade,
        model text not null,
        user_id text not null,
        embedding ${column} not null,
        created_at timestamptz not null,
        primary key (transaction_id, model)
      )
    `.execute(db);
    await sql`create index transaction_embeddings_user_idx on transaction_embeddings (user_id, model)`.execute(
      db,
    );
    // HNSW needs a fixed dimension; without one search is exact (a sequential scan per user).
    if (vector && embeddingDimensions !== undefined && vectorIndex) await createHnswIndex(db);
  },
};
