// Per-statement timings of an initial sync, to see where applySyncBatch and search spend their
// time: `node --conditions=source --import tsx packages/adapter-postgres/bench/statement-timings.ts`
// BENCH_ROWS (default 10000), BENCH_DIMS (default 32), BENCH_BATCH (default 500). On PGlite, or on
// the server FINKIT_TEST_DATABASE_URL names (in a throwaway schema; no vectors there), with the
// store given the PGlite instance or the pg.Pool as a user would. A statement's time is its round
// trip as `pg` sees it (every statement, Kysely's or a COPY, goes through `Client#query`); "rest" is
// a batch's time outside statements, and client CPU is this process's CPU time over the ingest, so
// wall - CPU is roughly time spent waiting for the server.
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import { createPostgresStore } from '../src/create-postgres-store.js';
import { createVectorIndex } from '../src/create-vector-index.js';
import { migrate } from '../src/migrate.js';
import { seedConnection, transaction } from '../test/sync-fixtures.js';

const rows = Number(process.env.BENCH_ROWS ?? 10_000);
const dims = Number(process.env.BENCH_DIMS ?? 32);
const pageSize = Number(process.env.BENCH_BATCH ?? 500);
const url = process.env.FINKIT_TEST_DATABASE_URL;

const totals = new Map<string, { count: number; ms: number }>();
function record(text: string, start: number) {
  // Literals blanked, so statements that inline their values (applySyncBatch's opening message) group.
  const key = text
    .replace(/E?'(?:[^']|'')*'/g, "'…'")
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 90);
  const entry = totals.get(key) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += performance.now() - start;
  totals.set(key, entry);
}
// Every statement of every client, timed from the call to its result (or a COPY's finish).
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]) {
  const start = performance.now();
  const first = args[0] as string | { text?: string; cursor?: unknown };
  const text = typeof first === 'string' ? first : (first.text ?? '(stream)');
  const result = query.apply(this, args);
  if (result instanceof Promise) return result.finally(() => record(text, start));
  // applySyncBatch's COPY is a submittable of its own that settles `done`.
  const done = (result as { done?: unknown } | undefined)?.done;
  if (done instanceof Promise) {
    done.then(
      () => record(text, start),
      () => record(text, start),
    );
  } else if (typeof (result as Writable | undefined)?.once === 'function') {
    (result as Writable).once('finish', () => record(text, start));
  }
  return result;
} as typeof pg.Client.prototype.query;

let pglite: PGlite | undefined;
let pool: pg.Pool | undefined;
let cleanup = async () => {};
if (url) {
  const schema = `finkit_timings_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`create schema ${schema}`);
  pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
  await migrate(pool);
  cleanup = async () => {
    await pool!.end();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  };
} else {
  pglite = new PGlite({ extensions: { vector } });
  await migrate(pglite, { embeddingDimensions: dims, vectorIndex: false });
  cleanup = () => pglite!.close();
}
const store = await createPostgresStore({ db: pool ?? pglite! });
const { userId, batch } = await seedConnection(store);
const vectors = store.capabilities.vectorSearch;
const vectorOf = (seed: number) => Float32Array.from({ length: dims }, (_, j) => Math.sin(seed * 31 + j * 7));
const all = Array.from({ length: rows }, (_, i) =>
  transaction(`b-${i}`, vectors ? { embedding: { model: 'bench', vector: vectorOf(i) } } : {}),
);

async function ingest(label: string, inputs: typeof all) {
  totals.clear();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < inputs.length; i += pageSize)
    await store.applySyncBatch(batch(inputs.slice(i, i + pageSize)));
  const wall = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const batches = Math.ceil(inputs.length / pageSize);
  console.log(
    `\n${label}: ${(inputs.length / (wall / 1000)).toFixed(0)} rows/s; per ${pageSize}-row batch ` +
      `${(wall / batches).toFixed(1)} ms wall, ${((user + system) / 1000 / batches).toFixed(1)} ms client CPU`,
  );
  report(wall, batches);
}

await ingest('ingest', all);
await ingest('re-sync (all existing)', all);
await ingest(
  're-sync (all changed)',
  all.map((input) => ({ ...input, amount: input.amount - 1 })),
);
if (pglite && vectors) {
  await createVectorIndex(pglite);
  totals.clear();
  const start = performance.now();
  for (let i = 0; i < 30; i += 1)
    await store.searchSimilar(userId, { vector: vectorOf(rows + i), model: 'bench', k: 10 });
  console.log(`\nsearch mean ${((performance.now() - start) / 30).toFixed(1)} ms`);
  report(performance.now() - start, 30);
}
await store.close();
await cleanup();

/** Statements by total time, per batch; what no logged statement accounts for is "rest". */
function report(wall: number, batches: number) {
  const sorted = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  let sum = 0;
  for (const [index, [key, { count, ms }]] of sorted.entries()) {
    sum += ms;
    if (index < 12)
      console.log(`${(ms / batches).toFixed(2).padStart(8)} ms/batch ${String(count).padStart(5)}x  ${key}`);
  }
  console.log(
    `${((wall - sum) / batches).toFixed(2).padStart(8)} ms/batch        rest (JS outside statements, pool)`,
  );
  totals.clear();
}
