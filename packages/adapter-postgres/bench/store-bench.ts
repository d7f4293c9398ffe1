// Store benchmark on PGlite, and on a PostgreSQL server when FINKIT_TEST_DATABASE_URL is set:
//   node --conditions=source --import tsx packages/adapter-postgres/bench/store-bench.ts [rows]
// rows defaults to 10,000 (quick); the case is 100000. BENCH_BATCH (default 500) is the
// rows per applySyncBatch, BENCH_DIMS (default 32) the vector size, BENCH_VECTORS `clustered`
// (default: 997 descriptors with noise, like embedded bank descriptors) or `uniform` (worst case),
// BENCH_TARGETS `pglite` or `server` to run one of the two (default: both).
// Prints one Markdown table; every ratio compares numbers measured in the same run.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import {
  createBudgetEngine,
  createMemoryEventBus,
  newBudgetSchema,
  type Store,
  type SyncTransactionInput,
} from '@finkit/core';
import pg from 'pg';
import { createPostgresStore } from '../src/create-postgres-store.js';
import { createVectorIndex } from '../src/create-vector-index.js';
import { migrate } from '../src/migrate.js';
import { seedConnection, transaction } from '../test/sync-fixtures.js';

const rows = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 10_000);
const batchSize = Number(process.env.BENCH_BATCH ?? 500);
const dims = Number(process.env.BENCH_DIMS ?? 32);
const uniform = process.env.BENCH_VECTORS === 'uniform';
const targets = process.env.BENCH_TARGETS ?? 'pglite,server';
const searches = 100;
const efSearchSweep = [40, 64, 100, 200];
const categories = ['food_and_dining', 'shopping', 'transportation', 'bills_and_utilities', 'entertainment'];
const now = new Date('2024-05-20T12:00:00Z');

/** Deterministic, so runs compare. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function gaussianVector(random: () => number, scale: number): Float32Array {
  return Float32Array.from({ length: dims }, () => {
    const u = Math.max(random(), 1e-12);
    return scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
}

const centers = Array.from({ length: 997 }, (_, i) => gaussianVector(prng(1_000_000 + i), 1));

/** Row i's embedding (or a query's, for i >= rows): its descriptor's centre plus noise. */
function embeddingOf(i: number): Float32Array {
  const random = prng(i);
  if (uniform) return gaussianVector(random, 1);
  const center = centers[i % centers.length]!;
  const noise = gaussianVector(random, 0.35);
  return center.map((value, j) => value + noise[j]!);
}

function inputs(withVectors: boolean): SyncTransactionInput[] {
  return Array.from({ length: rows }, (_, i) =>
    transaction(`b-${i}`, {
      amount: -((i * 7919) % 100_000) - 1,
      date: new Date(Date.UTC(2023, 0, 1) + (i % 500) * 86_400_000).toISOString().slice(0, 10),
      description: `MERCHANT ${i % 997}`,
      categoryId: categories[i % categories.length]!,
      ...(withVectors && { embedding: { model: 'bench', vector: embeddingOf(i) } }),
    }),
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (values: number[]) =>
  `${percentile(values, 50).toFixed(1)} / ${percentile(values, 99).toFixed(1)}`;

async function timeEach(times: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

const csvField = (value: unknown) => {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

interface Target {
  name: string;
  store: Store;
  /** COPY a CSV file into a table. */
  copy(table: string, file: string): Promise<void>;
  query<T>(text: string): Promise<T[]>;
  buildIndex?(): Promise<void>;
  /** Run ANALYZE after the ingest, as autovacuum soon would. */
  analyzeAfterIngest?: boolean;
}

async function run(target: Target): Promise<Record<string, string>> {
  const { store, query } = target;
  const result: Record<string, string> = {};
  const { userId, batch } = await seedConnection(store);
  const vectors = store.capabilities.vectorSearch;
  const all = inputs(vectors);

  let start = performance.now();
  for (let i = 0; i < all.length; i += batchSize)
    await store.applySyncBatch(batch(all.slice(i, i + batchSize)));
  const ingestRate = rows / ((performance.now() - start) / 1000);
  result['applySyncBatch rows/s'] = ingestRate.toFixed(0);

  // COPY the very rows applySyncBatch stored (embeddings too) into empty tables of the same shape.
  // `like` copies columns, defaults and indexes but not foreign keys, which the real table checks
  // per row (on the server they nearly double COPY's CPU time), so the rows also go into a second
  // clone that has them: the baseline of the same table, constraints included.
  await query('create table bench_copy (like transactions including all)');
  await query(`create table bench_copy_fk (like transactions including all,
    foreign key (connection_id) references connections (id) on delete cascade,
    foreign key (account_id) references accounts (id) on delete cascade)`);
  await query('create table bench_copy_embeddings (like transaction_embeddings including all)');
  const dir = join(tmpdir(), `finkit-bench-${randomUUID()}`);
  const transactionsCsv = `${dir}-t.csv`;
  const embeddingsCsv = `${dir}-e.csv`;
  const stored = await query<Record<string, unknown>>(
    `select id, user_id, connection_id, account_id, provider_transaction_id, pending_transaction_id,
       date::text, authorized_date::text, amount, currency, description, merchant_name, pending, category_id,
       category_confidence, category_explanation, provider_category::text, notes, tags::text, hidden,
       sources::text, removed_at::text, created_at::text, updated_at::text
     from transactions where user_id = '${userId}'`,
  );
  writeFileSync(transactionsCsv, stored.map((row) => Object.values(row).map(csvField).join(',')).join('\n'));
  const embeddingRows = vectors
    ? await query<Record<string, unknown>>(
        `select transaction_id, model, user_id, embedding::text, created_at::text from transaction_embeddings`,
      )
    : [];
  writeFileSync(
    embeddingsCsv,
    embeddingRows.map((row) => Object.values(row).map(csvField).join(',')).join('\n'),
  );
  start = performance.now();
  await target.copy('bench_copy', transactionsCsv);
  const copyTransactionsRate = rows / ((performance.now() - start) / 1000);
  if (vectors) await target.copy('bench_copy_embeddings', embeddingsCsv);
  const copyRate = rows / ((performance.now() - start) / 1000);
  start = performance.now();
  await target.copy('bench_copy_fk', transactionsCsv);
  const copyWithKeysRate = rows / ((performance.now() - start) / 1000);
  rmSync(transactionsCsv);
  rmSync(embeddingsCsv);
  result['COPY rows/s (transactions)'] = copyTransactionsRate.toFixed(0);
  result['COPY rows/s (transactions, with foreign keys)'] = copyWithKeysRate.toFixed(0);
  result['ingest / COPY with foreign keys (transactions only)'] = (ingestRate / copyWithKeysRate).toFixed(2);
  if (vectors) {
    result['COPY rows/s (transactions + embeddings)'] = copyRate.toFixed(0);
    result['ingest / COPY (transactions + embeddings)'] = (ingestRate / copyRate).toFixed(2);
    result['ingest / COPY (transactions only)'] = (ingestRate / copyTransactionsRate).toFixed(2);
  } else {
    result['ingest / COPY'] = (ingestRate / copyRate).toFixed(2);
  }
  await query('drop table bench_copy_fk');
  await query('drop table bench_copy_embeddings');
  await query('drop table bench_copy');

  // What autovacuum does on a server within a minute or so (the PGlite store refreshes its own):
  // without it the first reads plan against an empty table (list pages 100 ms instead of 1 ms).
  if (target.analyzeAfterIngest) await query('analyze');

  // A re-sync of the last 2,500 rows with every row changed: the update path.
  const changed = all.slice(-Math.min(2_500, rows)).map((input) => ({ ...input, amount: input.amount - 1 }));
  start = performance.now();
  for (let i = 0; i < changed.length; i += batchSize)
    await store.applySyncBatch(batch(changed.slice(i, i + batchSize)));
  result[`re-sync ${changed.length} changed rows/s`] = (
    changed.length /
    ((performance.now() - start) / 1000)
  ).toFixed(0);

  let cursor: string | null = null;
  const pages = await timeEach(100, async () => {
    const page = await store.transactions.list(userId, {}, { limit: 50, cursor });
    cursor = page.nextCursor;
  });
  result['list page p50/p99 ms'] = ms(pages);
  const stats = await timeEach(10, () =>
    store.transactions.aggregate(userId, { groupBy: 'category', filter: { from: '2023-06-01' } }),
  );
  result['stats p50/p99 ms'] = ms(stats);

  for (let i = 0; i < 50; i += 1) {
    await store.budgets.create(
      userId,
      newBudgetSchema.parse({
        name: `Budget ${i}`,
        amount: 50_000 + i * 1_000,
        currency: 'USD',
        categoryIds: i % 5 === 0 ? [] : [categories[i % categories.length]!],
        period: i % 4 === 3 ? 'weekly' : 'monthly',
        startDate: i % 2 === 0 ? '2023-05-01' : '2024-04-01',
        rollover: i % 2 === 0,
      }),
    );
  }
  const engine = createBudgetEngine({ store, events: createMemoryEventBus(), clock: { now: () => now } });
  const progress = await timeEach(5, () => engine.progressAll(userId));
  result['progressAll 50 budgets p50/p99 ms'] = ms(progress);

  if (vectors && target.buildIndex) {
    start = performance.now();
    await target.buildIndex();
    result['HNSW build s'] = ((performance.now() - start) / 1000).toFixed(1);
    const queries = Array.from({ length: searches }, (_, i) => embeddingOf(rows + i));
    // Exact neighbours by a sequential scan; a hit counts when it is no farther than the 10th
    // exact neighbour, so ties among equally distant rows do not count as misses.
    const tenth: number[] = [];
    for (const q of queries) {
      await query('set enable_indexscan = off');
      const exact = await query<{ distance: number }>(
        `select embedding <=> '${literalOf(q)}' as distance from transaction_embeddings
         order by distance limit 10`,
      );
      await query('set enable_indexscan = on');
      tenth.push(Number(exact.at(-1)!.distance) + 1e-6);
    }
    let hits = 0;
    const searchMs = await timeEach(searches, async (i) => {
      const found = await store.searchSimilar(userId, { vector: queries[i]!, model: 'bench', k: 10 });
      hits += found.filter((hit) => 1 - hit.score <= tenth[i]!).length;
    });
    result['searchSimilar p50/p99 ms'] = ms(searchMs);
    result['recall@10'] = (hits / (10 * searches)).toFixed(3);
    // The index alone at several ef_search values, to show what the store's setting trades.
    for (const ef of efSearchSweep) {
      await query(`set hnsw.ef_search = ${ef}`);
      let sweepHits = 0;
      const sweepMs = await timeEach(searches, async (i) => {
        const found = await query<{ distance: number }>(
          `select embedding <=> '${literalOf(queries[i]!)}' as distance from transaction_embeddings
           order by distance limit 10`,
        );
        sweepHits += found.filter((row) => Number(row.distance) <= tenth[i]!).length;
      });
      result[`index only, ef_search ${ef}: p50 ms / recall`] =
        `${percentile(sweepMs, 50).toFixed(1)} / ${(sweepHits / (10 * searches)).toFixed(3)}`;
    }
    await query('reset hnsw.ef_search');
  }
  return result;
}

const literalOf = (v: Float32Array) => `[${Array.from(v).join(',')}]`;

const results = new Map<string, Record<string, string>>();

function printTable(): void {
  const targets = [...results.keys()];
  const metrics = [...new Set([...results.values()].flatMap((r) => Object.keys(r)))];
  console.log(
    `\n${rows} rows in batches of ${batchSize}, ${dims}-d ${uniform ? 'uniform' : 'clustered'} vectors\n`,
  );
  console.log(`| metric | ${targets.join(' | ')} |`);
  console.log(`|---|${targets.map(() => '---').join('|')}|`);
  for (const metric of metrics) {
    console.log(`| ${metric} | ${targets.map((t) => results.get(t)![metric] ?? '–').join(' | ')} |`);
  }
}

if (targets.includes('pglite')) {
  const pglite = new PGlite({ extensions: { vector } });
  // HNSW is built after the load: row-by-row index inserts are the slow path.
  await migrate(pglite, { embeddingDimensions: dims, vectorIndex: false });
  const store = await createPostgresStore({ db: pglite });
  results.set(
    'PGlite',
    await run({
      name: 'PGlite',
      store,
      async copy(table, file) {
        await pglite.query(`copy ${table} from '/dev/blob' with (format csv, null '')`, [], {
          blob: new Blob([readFileSync(file)]),
        });
      },
      query: async <T>(text: string) => (await pglite.query<T>(text)).rows,
      buildIndex: () => createVectorIndex(pglite),
    }),
  );
  await store.close();
  await pglite.close();
  // Printed now too, so a failure on the server does not lose it.
  if (process.env.FINKIT_TEST_DATABASE_URL) printTable();
}
const url = process.env.FINKIT_TEST_DATABASE_URL;
if (url && targets.includes('server')) {
  const schema = `finkit_bench_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`create schema ${schema}`);
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
  try {
    await migrate(pool);
    const store = await createPostgresStore({ db: pool });
    const version = (
      await pool.query<{ v: string }>(`select current_setting('server_version') as v`)
    ).rows[0]!.v.split(' ')[0];
    const name = `PostgreSQL ${version}${store.capabilities.vectorSearch ? '' : ' (no pgvector)'}`;
    results.set(
      name,
      await run({
        name,
        store,
        async copy(table, file) {
          execFileSync('psql', [
            url,
            '-q',
            '-c',
            `\\copy ${schema}.${table} from '${file}' with (format csv, null '')`,
          ]);
        },
        query: async <T>(text: string) => (await pool.query(text)).rows as T[],
        analyzeAfterIngest: true,
      }),
    );
    await store.close();
  } finally {
    await pool.end();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

printTable();
