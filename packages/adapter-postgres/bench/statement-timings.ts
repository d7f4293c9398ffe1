// Per-statement timings of an initial sync on PGlite, to see where applySyncBatch and search spend
// their time: `node --conditions=source --import tsx packages/adapter-postgres/bench/statement-timings.ts`
// BENCH_ROWS (default 10000), BENCH_DIMS (default 32).
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createPostgresStore } from '../src/create-postgres-store.js';
import { createVectorIndex } from '../src/create-vector-index.js';
import type { Database } from '../src/database.js';
import { migrate } from '../src/migrate.js';
import { seedConnection, transaction } from '../test/sync-fixtures.js';

const rows = Number(process.env.BENCH_ROWS ?? 10_000);
const dims = Number(process.env.BENCH_DIMS ?? 32);
const pageSize = 500;

const totals = new Map<string, { count: number; ms: number }>();
const pglite = new PGlite({ extensions: { vector } });
await migrate(pglite, { embeddingDimensions: dims, vectorIndex: false });
const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool }),
  log(event) {
    const key = event.query.sql.replace(/\s+/g, ' ').slice(0, 90);
    const entry = totals.get(key) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += event.queryDurationMillis;
    totals.set(key, entry);
  },
});
const store = await createPostgresStore({ db });
const { userId, batch } = await seedConnection(store);
const vectorOf = (seed: number) => Float32Array.from({ length: dims }, (_, j) => Math.sin(seed * 31 + j * 7));
const all = Array.from({ length: rows }, (_, i) =>
  transaction(`b-${i}`, { embedding: { model: 'bench', vector: vectorOf(i) } }),
);
totals.clear();
let start = performance.now();
for (let i = 0; i < all.length; i += pageSize) await store.applySyncBatch(batch(all.slice(i, i + pageSize)));
console.log(`ingest ${(rows / ((performance.now() - start) / 1000)).toFixed(0)} rows/s`);
start = performance.now();
for (let i = 0; i < all.length; i += pageSize) await store.applySyncBatch(batch(all.slice(i, i + pageSize)));
console.log(`re-sync (all existing) ${(rows / ((performance.now() - start) / 1000)).toFixed(0)} rows/s`);
report();
const changed = all.map((input) => ({ ...input, amount: input.amount - 1 }));
start = performance.now();
for (let i = 0; i < changed.length; i += pageSize)
  await store.applySyncBatch(batch(changed.slice(i, i + pageSize)));
console.log(`re-sync (all changed) ${(rows / ((performance.now() - start) / 1000)).toFixed(0)} rows/s`);
report();
await createVectorIndex(pglite);
start = performance.now();
for (let i = 0; i < 30; i += 1)
  await store.searchSimilar(userId, { vector: vectorOf(rows + i), model: 'bench', k: 10 });
console.log(`search mean ${((performance.now() - start) / 30).toFixed(1)} ms`);
report();
await db.destroy();
await pglite.close();

function report() {
  const sorted = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  for (const [key, { count, ms }] of sorted.slice(0, 12)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms ${String(count).padStart(5)}x  ${key}`);
  }
  totals.clear();
}
