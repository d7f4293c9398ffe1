import { FinkitError, type SimilarTransaction } from '@finkit/core';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConnection, transaction } from '../test/sync-fixtures.js';
import { createTestPGlite } from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import { createVectorIndex } from './create-vector-index.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';

// One PGlite for the file (starting one costs seconds); every test works under its own user.
const pglite = createTestPGlite();
let statements = 0;
let db: Kysely<Database>;

beforeAll(async () => {
  await migrate(pglite, { embeddingDimensions: 3 });
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const pg = await import('pg');
  db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.default.Pool({ ...createPgConfig(pglite), max: 1 }) }),
    log: (event) => {
      if (event.level === 'query') statements += 1;
    },
  });
});
afterAll(async () => {
  await db.destroy();
  await pglite.close();
});

describe('createPostgresStore over a Kysely instance on PGlite', () => {
  it('on PGlite reports vector search but no cross-process guarantees; close leaves PGlite open', async () => {
    const onPGlite = await createPostgresStore({ db: pglite });
    expect(onPGlite.capabilities).toEqual({ vectorSearch: true, crossProcess: false });
    await onPGlite.close();
    // The store did not close PGlite: it is the caller's.
    expect((await pglite.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('applies a sync batch in a fixed number of statements, however many rows it holds', async () => {
    const store = await createPostgresStore({ db });
    const count = async (rows: number) => {
      const { batch } = await seedConnection(store);
      const upserts = Array.from({ length: rows }, (_, i) => transaction(`tx-${i}`));
      statements = 0;
      const result = await store.applySyncBatch(batch(upserts));
      expect(result.added).toHaveLength(rows);
      return statements;
    };
    const few = await count(3);
    const many = await count(400);
    expect(many).toBe(few);
    expect(few).toBeLessThan(15);
  });

  it('stores money as bigint and dates as date, exactly, up to the largest safe integer', async () => {
    const store = await createPostgresStore({ db });
    const { userId, connection, batch } = await seedConnection(store);
    const upserts = [
      transaction('big-in', { amount: Number.MAX_SAFE_INTEGER, date: '2024-02-29' }),
      transaction('big-out', { amount: -Number.MAX_SAFE_INTEGER, date: '1999-12-31' }),
    ];
    const { added } = await store.applySyncBatch(batch(upserts));
    const raw = await pglite.query<{ amount: string; amount_type: string; date: string; date_type: string }>(
      `select amount::text as amount, pg_typeof(amount)::text as amount_type, date::text as date,
         pg_typeof(date)::text as date_type
       from transactions where connection_id = $1 order by provider_transaction_id`,
      [connection.id],
    );
    expect(raw.rows).toEqual([
      { amount: '9007199254740991', amount_type: 'bigint', date: '2024-02-29', date_type: 'date' },
      { amount: '-9007199254740991', amount_type: 'bigint', date: '1999-12-31', date_type: 'date' },
    ]);
    const read = await store.transactions.get(userId, added[0]!);
    expect(read?.amount).toBe(Number.MAX_SAFE_INTEGER);
    expect(read?.date).toBe('2024-02-29');
    const [totals] = await store.transactions.aggregate(userId, { groupBy: 'none' });
    expect(totals).toMatchObject({
      inflow: Number.MAX_SAFE_INTEGER,
      outflow: -Number.MAX_SAFE_INTEGER,
      count: 2,
    });
  });

  it('searches with the HNSW index, filters before k, and rejects a vector of the wrong dimension', async () => {
    const store = await createPostgresStore({ db });
    const { userId, batch } = await seedConnection(store);
    const upserts = Array.from({ length: 30 }, (_, i) =>
      transaction(`s-${i}`, {
        date: i === 29 ? '2024-01-15' : '2024-05-01',
        embedding: { model: 'm', vector: new Float32Array([1, i / 30, 0]) },
      }),
    );
    await store.applySyncBatch(batch(upserts));
    const nearest = await store.searchSimilar(userId, {
      vector: new Float32Array([1, 0, 0]),
      model: 'm',
      k: 3,
    });
    expect(nearest.map((hit) => hit.transaction.providerTransactionId)).toEqual(['s-0', 's-1', 's-2']);
    expect(nearest[0]!.score).toBeCloseTo(1, 5);
    // Only the farthest row matches the filter; an after-the-fact filter on the top k would find none.
    const filtered = await store.searchSimilar(userId, {
      vector: new Float32Array([1, 0, 0]),
      model: 'm',
      k: 3,
      filter: { to: '2024-02-01' },
    });
    expect(filtered.map((hit) => hit.transaction.providerTransactionId)).toEqual(['s-29']);
    const wrong = store.searchSimilar(userId, { vector: new Float32Array([1, 0]), model: 'm', k: 3 });
    await expect(wrong).rejects.toSatisfy((error) => FinkitError.hasCode(error, 'VALIDATION'));
    const plan = await pglite.query<{ 'QUERY PLAN': string }>(
      `explain select transaction_id from transaction_embeddings order by embedding <=> '[1,0,0]' limit 3`,
    );
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('transaction_embeddings_hnsw_idx');
  });

  it('a selective filter past ef_search still fills k: the HNSW settings hold inside the one search statement', async () => {
    const store = await createPostgresStore({ db: pglite });
    const { userId, batch } = await seedConnection(store);
    // 1,200 rows around a half circle; only every 60th is money in. Without the iterative scan
    // the index yields its ef_search nearest and the filter keeps about four of them.
    const upserts = Array.from({ length: 1_200 }, (_, i) => {
      const angle = (Math.PI * i) / 1_200;
      return transaction(`wide-${i}`, {
        amount: i % 60 === 0 ? 5_000 : -5_000,
        embedding: { model: 'wide', vector: new Float32Array([Math.cos(angle), Math.sin(angle), 0]) },
      });
    });
    for (let i = 0; i < upserts.length; i += 400) {
      await store.applySyncBatch(batch(upserts.slice(i, i + 400)));
    }
    // A table this small would be read by user or key and sorted whole; the test is about the
    // HNSW scan, so the other paths are closed for one rolled-back transaction (the store shares
    // this PGlite's session).
    await pglite.exec(
      'begin; analyze transaction_embeddings; drop index transaction_embeddings_user_idx; alter table transaction_embeddings drop constraint transaction_embeddings_pkey; set local enable_seqscan = off',
    );
    let hits: SimilarTransaction[];
    try {
      const query = { vector: new Float32Array([1, 0, 0]), model: 'wide', k: 10, filter: { minAmount: 0 } };
      hits = await store.searchSimilar(userId, query);
      const plan = await pglite.query<{ 'QUERY PLAN': string }>(
        `explain select 1 from transaction_embeddings where model = 'wide' order by embedding <=> '[1,0,0]' limit 20`,
      );
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(
        'transaction_embeddings_hnsw_idx',
      );
    } finally {
      await pglite.exec('rollback');
    }
    expect(hits.map((hit) => hit.transaction.providerTransactionId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `wide-${i * 60}`),
    );
    const session = await pglite.query<{ ef: string; iterative: string }>(
      `select current_setting('hnsw.ef_search') as ef, current_setting('hnsw.iterative_scan') as iterative`,
    );
    expect(session.rows, 'the settings ended with the statement').toEqual([{ ef: '40', iterative: 'off' }]);
    await store.close();
  });

  it('createVectorIndex rebuilds the HNSW index after a bulk load without it', async () => {
    await pglite.exec('drop index transaction_embeddings_hnsw_idx');
    await createVectorIndex(pglite);
    await createVectorIndex(pglite);
    const index = await pglite.query<{ indexdef: string }>(
      `select indexdef from pg_indexes where indexname = 'transaction_embeddings_hnsw_idx'`,
    );
    expect(index.rows[0]?.indexdef).toContain('hnsw (embedding vector_cosine_ops)');
  });
});
