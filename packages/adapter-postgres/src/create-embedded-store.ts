import type { Clock, Store } from '@finkit/core';
import { createPostgresStore } from './create-postgres-store.js';

export interface EmbeddedStoreOptions {
  /** Where PGlite keeps its files; in memory when absent. */
  dataDir?: string;
  /** Fixes the embedding dimension at first migration, enabling the HNSW index. */
  embeddingDimensions?: number;
  clock?: Clock;
  idGenerator?: () => string;
}

/**
 * PGlite (PostgreSQL in WebAssembly) with pgvector, migrated and ready: finkit with no database
 * server. `close()` closes PGlite.
 */
export async function createEmbeddedStore(options: EmbeddedStoreOptions = {}): Promise<Store> {
  const [{ PGlite }, { vector }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
  ]);
  // Without a dir PGlite must be told "memory://": an undefined dir loses the extensions option.
  const pglite = new PGlite(options.dataDir ?? 'memory://', { extensions: { vector } });
  try {
    const store = await createPostgresStore({
      db: pglite,
      migrate:
        options.embeddingDimensions === undefined
          ? true
          : { embeddingDimensions: options.embeddingDimensions },
      ...(options.clock !== undefined && { clock: options.clock }),
      ...(options.idGenerator !== undefined && { idGenerator: options.idGenerator }),
    });
    return {
      ...store,
      async close() {
        await store.close();
        await pglite.close();
      },
    };
  } catch (error) {
    await pglite.close();
    throw error;
  }
}
