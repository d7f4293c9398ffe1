// Store benchmark: `node --conditions=source --import tsx packages/adapter-postgres/bench/store-bench.ts`
// BENCH_ROWS (default 20000), BENCH_DIMS (default 32); FINKIT_TEST_DATABASE_URL adds a server run.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Store, SyncTransactionInput } from '@finkit/core';
import pg from 'pg';
import { createPostgresStore } from '../src/create-postgres-store.js';
import { createVectorIndex } from '../src/create-vector-index.js';
import { migrate } from '../src/migrate.js';
import { seedConnection, transaction } from '../test/sync-fixtures.js';

const rows = Number(process.env.BENCH_ROWS ?? 20_000);
const dims = Number(process.env.BENCH_DIMS ?? 32);
const pageSize = 500;

function randomVector(seed: number): Float32Array {
  let x = seed * 9301 + 49297;
  return Float32Array.from({ length: dims }, () => {
    x = (x * 9301 + 49297) % 233280;
    return x / 233280 - 0.5;
  });
}

function inputs(withVectors: boolean): SyncTransactionInput[] {
  return Array.from({ length: rows }, (_, i) =>
    transaction(`b-${i}`, {
      amount: -((i * 7919) % 100_000) - 1,
      date: new Date(Date.UTC(2023, 0, 1) + (i % 500) * 86_400_000).toISOString().slice(0, 10),
      description: `MERCHANT ${i % 997}`,
      categoryId: i % 3 === 0 ? 'food_and_dining' : 'shopping',
      ...(withVectors && { embedding: { model: 'bench', vector: randomVector(i) } }),
    }),
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function timeEach(times: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  return ms;
}

async function run(
  name: string,
  store: Store,
  copy: (csv: string) => Promise<void>,
  query: (text: string) => Promise<unknown>,
  buildIndex: () => Promise<void> = async () => {},
) {
  const result: Record<string, string> = { target: name, rows: String(rows) };
  const { userId, batch } = await seedConnection(store);
  const all = inputs(store.capabilities.vectorSearch);
  let start = performance.now();
  for (let i = 0; i < all.length; i += pageSize)
    await store.applySyncBatch(batch(all.slice(i, i + pageSize)));
  const ingestSeconds = (performance.now() - start) / 1000;
  const ingestRate = rows / ingestSeconds;
  result['applySyncBatch rows/s'] = ingestRate.toFixed(0);

  await query('create table bench_copy (like transactions including all)');
  const csv = join(tmpdir(), `finkit-bench-${randomUUID()}.csv`);
  writeFileSync(
    csv,
    all
      .map((t, i) =>
        [
          randomUUID(),
          userId,
          'c',
          'a',
          `p-${i}`,
          '',
          t.date,
          '',
          t.amount,
          'USD',
          t.description,
          '',
          'f',
          t.categoryId,
          0,
          'x',
          '',
          '',
          '{}',
          'f',
          '{}',
          '',
          '2024-01-01T00:00:00Z',
          '2024-01-01T00:00:00Z',
        ].join(','),
      )
      .join('\n'),
  );
  start = performance.now();
  await copy(csv);
  const copyRate = rows / ((performance.now() - start) / 1000);
  result['COPY rows/s'] = copyRate.toFixed(0);
  result['ingest / COPY'] = (ingestRate / copyRate).toFixed(2);

  let cursor: string | null = null;
  const pages = await timeEach(50, async () => {
    const page = await store.transactions.list(userId, {}, { limit: 50, cursor });
    cursor = page.nextCursor;
  });
  result['list page p50/p99 ms'] =
    `${percentile(pages, 50).toFixed(1)} / ${percentile(pages, 99).toFixed(1)}`;
  const stats = await timeEach(10, () =>
    store.transactions.aggregate(userId, { groupBy: 'category', filter: { from: '2023-06-01' } }),
  );
  result['stats p50 ms'] = percentile(stats, 50).toFixed(1);

  if (store.capabilities.vectorSearch) {
    start = performance.now();
    await buildIndex();
    result['HNSW build s'] = ((performance.now() - start) / 1000).toFixed(1);
    let hits = 0;
    const searchMs: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const vectorQuery = randomVector(rows + i);
      const began = performance.now();
      const found = await store.searchSimilar(userId, { vector: vectorQuery, model: 'bench', k: 10 });
      searchMs.push(performance.now() - began);
      const literal = `[${Array.from(vectorQuery).join(',')}]`;
      // Exact neighbours: the same ordering with index scans off.
      await query('set enable_indexscan = off');
      const exact = (await query(
        `select transaction_id from transaction_embeddings order by embedding <=> '${literal}' limit 10`,
      )) as { transaction_id: string }[];
      await query('set enable_indexscan = on');
      const truth = new Set(exact.map((row) => row.transaction_id));
      hits += found.filter((hit) => truth.has(hit.transaction.id)).length;
    }
    result['search p50/p99 ms'] =
      `${percentile(searchMs, 50).toFixed(1)} / ${percentile(searchMs, 99).toFixed(1)}`;
    result['recall@10'] = (hits / 500).toFixed(3);
  }
  return result;
}

const results: Record<string, string>[] = [];
{
  const pglite = new PGlite({ extensions: { vector } });
  // HNSW is built after the load (see README): row-by-row index inserts are the slow path.
  await migrate(pglite, { embeddingDimensions: dims, vectorIndex: false });
  const store = await createPostgresStore({ db: pglite });
  results.push(
    await run(
      'PGlite',
      store,
      async (csv) => {
        const { readFileSync } = await import('node:fs');
        await pglite.query(`copy bench_copy from '/dev/blob' with (format csv, null '')`, [], {
          blob: new Blob([readFileSync(csv)]),
        });
      },
      async (text) => (await pglite.query(text)).rows,
      () => createVectorIndex(pglite),
    ),
  );
  await store.close();
  await pglite.close();
}
const url = process.env.FINKIT_TEST_DATABASE_URL;
if (url) {
  const schema = `finkit_bench_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`create schema ${schema}`);
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
  await migrate(pool);
  const store = await createPostgresStore({ db: pool });
  results.push(
    await run(
      'PostgreSQL 15 (no pgvector)',
      store,
      async (csv) => {
        execFileSync(
          'psql',
          [url, '-q', '-c', `\\copy ${schema}.bench_copy from '${csv}' with (format csv, null '')`],
          {
            stdio: 'inherit',
          },
        );
      },
      async (text) => (await pool.query(text)).rows,
    ),
  );
  await store.close();
  await pool.end();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
console.table(results);
