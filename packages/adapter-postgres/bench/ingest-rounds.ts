// Server ingest against COPY, interleaved so load from other processes falls on both alike:
//   FINKIT_TEST_DATABASE_URL=... node --conditions=source --import tsx packages/adapter-postgres/bench/ingest-rounds.ts
// BENCH_ROUNDS (default 20) rounds of BENCH_ROUND_ROWS (default 5000) rows; each round COPYs its rows
// into a clone of `transactions` with the same indexes (and one with the foreign keys too, as the
// real table has), then ingests them with applySyncBatch in BENCH_BATCH-row batches (default 500)
// through a store given the pg.Pool and one given a Kysely instance. Besides wall time it counts CPU
// time, the client's and the server backend's (read from /proc, so the server must run on this
// machine): CPU per row hardly moves when other processes compete for the cores, wall time does.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Store, SyncTransactionInput } from '@finkit/core';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createPostgresStore } from '../src/create-postgres-store.js';
import type { Database } from '../src/database.js';
import { migrate } from '../src/migrate.js';
import { seedConnection, transaction } from '../test/sync-fixtures.js';

const url = process.env.FINKIT_TEST_DATABASE_URL;
if (!url) throw new Error('Set FINKIT_TEST_DATABASE_URL to a PostgreSQL server on this machine');
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const roundRows = Number(process.env.BENCH_ROUND_ROWS ?? 5_000);
const batchSize = Number(process.env.BENCH_BATCH ?? 500);
const categories = ['food_and_dining', 'shopping', 'transportation', 'bills_and_utilities', 'entertainment'];

const schema = `finkit_rounds_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
const admin = new pg.Pool({ connectionString: url, max: 1 });
await admin.query(`create schema ${schema}`);
// One connection per pool, so each has one server backend whose CPU time can be read.
const onePool = () => new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 1 });
const pools = { pool: onePool(), kysely: onePool(), copy: onePool() };

const ticksPerMs = 100 / 1000;
async function backendCpuMs(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
  const fields = readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, fields 14 and 15 of the whole line, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
}

interface Totals {
  wall: number;
  client: number;
  server: number;
}
const totals = new Map<string, Totals>();
async function measure(name: string, pool: pg.Pool, run: () => Promise<unknown>) {
  const server = await backendCpuMs(pool);
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const entry = totals.get(name) ?? { wall: 0, client: 0, server: 0 };
  entry.wall += wall;
  entry.client += (user + system) / 1000;
  entry.server += (await backendCpuMs(pool)) - server;
  totals.set(name, entry);
}

try {
  await migrate(pools.pool);
  const byPool = await createPostgresStore({ db: pools.pool });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pools.kysely }) });
  const byKysely = await createPostgresStore({ db: kysely });
  const seededPool = await seedConnection(byPool);
  const seededKysely = await seedConnection(byKysely);
  await admin.query(`create table ${schema}.copy_plain (like ${schema}.transactions including all)`);
  await admin.query(`create table ${schema}.copy_fk (like ${schema}.transactions including all)`);
  await admin.query(`alter table ${schema}.copy_fk
    add foreign key (connection_id) references ${schema}.connections (id) on delete cascade,
    add foreign key (account_id) references ${schema}.accounts (id) on delete cascade`);

  const inputs = (round: number): SyncTransactionInput[] =>
    Array.from({ length: roundRows }, (_, j) => {
      const i = round * roundRows + j;
      return transaction(`r-${i}`, {
        amount: -((i * 7919) % 100_000) - 1,
        date: new Date(Date.UTC(2023, 0, 1) + (i % 500) * 86_400_000).toISOString().slice(0, 10),
        description: `MERCHANT ${i % 997}`,
        categoryId: categories[i % categories.length]!,
      });
    });
  const ingest = async (store: Store, seeded: typeof seededPool, rows: SyncTransactionInput[]) => {
    for (let i = 0; i < rows.length; i += batchSize)
      await store.applySyncBatch(seeded.batch(rows.slice(i, i + batchSize)));
  };
  const copy = async (table: string, text: string) => {
    const client = await pools.copy.connect();
    try {
      await pipeline(Readable.from([Buffer.from(text)]), client.query(copyFrom(`copy ${table} from stdin`)));
    } finally {
      client.release();
    }
  };

  for (let round = 0; round < rounds; round += 1) {
    const rows = inputs(round);
    await measure('applySyncBatch, store given the pg.Pool', pools.pool, () =>
      ingest(byPool, seededPool, rows),
    );
    await measure('applySyncBatch, store given Kysely', pools.kysely, () =>
      ingest(byKysely, seededKysely, rows),
    );
    // COPY the rows the pool store just wrote (text made before the clock starts), as store-bench does.
    const { rows: stored } = await admin.query<{ line: string }>(
      `select concat_ws(e'\\t', id, user_id, connection_id, account_id, provider_transaction_id,
         coalesce(pending_transaction_id, '\\N'), date, coalesce(authorized_date::text, '\\N'), amount,
         currency, description, coalesce(merchant_name, '\\N'), pending, category_id, category_confidence,
         category_explanation, coalesce(provider_category::text, '\\N'), coalesce(notes, '\\N'), tags, hidden,
         sources, coalesce(removed_at::text, '\\N'), created_at, updated_at) as line
       from ${schema}.transactions
       where connection_id = $1 and provider_transaction_id = any($2::text[])`,
      [seededPool.connection.id, rows.map((row) => row.providerTransactionId)],
    );
    const text = `${stored.map((row) => row.line).join('\n')}\n`;
    await measure('COPY into a clone with the same indexes', pools.copy, () => copy('copy_plain', text));
    await measure('COPY into a clone with indexes and foreign keys', pools.copy, () => copy('copy_fk', text));
  }
  await byPool.close();
  await byKysely.close();
  await kysely.destroy();
} finally {
  for (const pool of Object.values(pools)) if (!pool.ended) await pool.end();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}

const total = rounds * roundRows;
const baseline = totals.get('COPY into a clone with the same indexes')!;
const cpu = (t: Totals) => t.client + t.server;
console.log(`\n${total} rows in ${rounds} rounds, batches of ${batchSize}\n`);
console.log(
  '| | rows/s (wall) | rows/s per CPU s (client + server) | client / server CPU ms per 1k rows | vs COPY, wall | vs COPY, CPU |',
);
console.log('|---|---|---|---|---|---|');
for (const [name, t] of totals) {
  console.log(
    `| ${name} | ${(total / (t.wall / 1000)).toFixed(0)} | ${(total / (cpu(t) / 1000)).toFixed(0)} | ` +
      `${((t.client / total) * 1000).toFixed(1)} / ${((t.server / total) * 1000).toFixed(1)} | ` +
      `${(baseline.wall / t.wall).toFixed(2)} | ${(cpu(baseline) / cpu(t)).toFixed(2)} |`,
  );
}
