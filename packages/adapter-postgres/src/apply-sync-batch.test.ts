import type { Store, SyncTransactionInput } from '@finkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { seedConnection, transaction } from '../test/sync-fixtures.js';
import { createTestPGlite, createTestSchema, onServer, serverUrl } from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import { migrate } from './migrate.js';

// Values that an array or JSON literal could mangle: quotes, backslashes, separators, braces,
// the word NULL, non-ASCII, and floats that need every digit of a float32.
const awkward = ['say "hi"', 'back\\slash', 'a,b', '{braces}', 'NULL', 'ünï 💸', "it's"];

function awkwardInput(i: number, amount: number): SyncTransactionInput {
  return transaction(`awk-${i}`, {
    amount,
    description: awkward[i % awkward.length]!,
    merchantName: i % 2 === 0 ? null : awkward[(i + 1) % awkward.length]!,
    tags: [awkward[i % awkward.length]!, awkward[(i + 3) % awkward.length]!],
    providerCategory: {
      primary: awkward[(i + 2) % awkward.length]!,
      detailed: 'X\\"Y',
      confidenceLevel: null,
      version: 'v2',
    },
    categoryConfidence: 1 / 3,
    embedding: {
      model: 'm',
      vector: Float32Array.of(Math.fround(1 / 3), Math.fround(-1e-7) * (i + 1), Math.fround(12345.678)),
    },
  });
}

/** Reads one stored embedding back as numbers, bypassing the store. */
type ReadEmbedding = (transactionId: string) => Promise<number[]>;

async function checkRoundTrip(store: Store, readEmbedding: ReadEmbedding) {
  const { userId, batch } = await seedConnection(store);
  const first = Array.from({ length: 14 }, (_, i) => awkwardInput(i, -100 - i));
  const added = await store.applySyncBatch(batch(first));
  expect(added.added).toHaveLength(14);
  // Half of them again with a new amount (the upsert path), the rest unchanged.
  const second = first.map((input, i) => (i % 2 === 0 ? { ...input, amount: input.amount - 1 } : input));
  const changed = await store.applySyncBatch(batch(second));
  expect(changed).toMatchObject({ added: [], removed: [] });
  expect(changed.modified).toHaveLength(7);

  const stored = await store.transactions.list(userId, {}, { limit: 100, cursor: null });
  const byProviderId = new Map(stored.items.map((row) => [row.providerTransactionId, row]));
  for (const input of second) {
    const row = byProviderId.get(input.providerTransactionId);
    expect(row).toMatchObject({
      amount: input.amount,
      description: input.description,
      merchantName: input.merchantName,
      tags: input.tags,
      providerCategory: input.providerCategory,
      categoryConfidence: input.categoryConfidence,
    });
  }
  for (const input of second) {
    const stored = await readEmbedding(byProviderId.get(input.providerTransactionId)!.id);
    // Text forms print the shortest decimal of each float32; rounding back must give it exactly.
    expect(stored.map(Math.fround)).toEqual(Array.from(input.embedding!.vector));
  }
}

describe('applySyncBatch bulk writes on PGlite', () => {
  const pglite = createTestPGlite();
  afterAll(() => pglite.close());

  it('store awkward text, tags, JSON and float32 vectors exactly, on insert and on update', async () => {
    await migrate(pglite, { embeddingDimensions: 3 });
    const store = await createPostgresStore({ db: pglite });
    await checkRoundTrip(store, async (id) => {
      const result = await pglite.query<{ embedding: string }>(
        'select embedding::text from transaction_embeddings where transaction_id = $1',
        [id],
      );
      return JSON.parse(result.rows[0]!.embedding) as number[];
    });
    await store.close();
  }, 60_000);
});

describe.skipIf(!serverUrl)(onServer('applySyncBatch bulk writes'), () => {
  it('store awkward text, tags, JSON and embeddings exactly, on insert and on update', async () => {
    const target = await createTestSchema(serverUrl!);
    try {
      await migrate(target.pool);
      const store = await createPostgresStore({ db: target.pool });
      await checkRoundTrip(store, async (id) => {
        // No pgvector on this server: the column is real[], which pg returns as numbers.
        const result = await target.pool.query<{ embedding: number[] }>(
          'select embedding from transaction_embeddings where transaction_id = $1',
          [id],
        );
        return result.rows[0]!.embedding.map(Number);
      });
      await store.close();
    } finally {
      await target.drop();
    }
  }, 60_000);
});
