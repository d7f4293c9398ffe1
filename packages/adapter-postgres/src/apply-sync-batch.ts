import {
  FinkitError,
  notFound,
  planSyncRows,
  type SyncBatch,
  type SyncBatchResult,
  type Transaction,
} from '@finkit/core';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { copyTransactionRows } from './copy-transaction-rows.js';
import type { Database } from './database.js';
import { assertKnownCategories, type PostgresContext } from './postgres-context.js';
import { upsertAccounts } from './repositories/postgres-connections.js';
import { assertDimensions, writeEmbeddings } from './repositories/postgres-transactions.js';
import {
  type JsonTransactionRow,
  toTransactionFromJson,
  transactionColumns,
  transactionRowsSql,
} from './transaction-rows.js';

// Rows per statement: large enough to amortize round trips, small enough to keep each parameter
// modest.
const chunkSize = 2000;

/**
 * `Store.applySyncBatch` in one transaction. The connection row is locked first (`for update`), so
 * two processes syncing one connection serialize and the compare-and-set on the cursor is exact;
 * the rows the batch touches are then locked and merged in JS with core's provenance rule, and
 * every write is a bulk statement: new rows a plain insert (COPY when the store has a `pg.Pool` to
 * check a client out of), changed ones an upsert by id.
 */
export async function applySyncBatch(context: PostgresContext, batch: SyncBatch): Promise<SyncBatchResult> {
  for (const input of batch.upserts) {
    if (input.embedding !== undefined)
      assertDimensions(context, input.embedding.vector.length, input.embedding.model);
  }
  if (context.pool !== undefined) return applyOnPoolClient(context, context.pool, batch);
  return context.db
    .transaction()
    .execute((trx) => applyInTransaction(context, trx, batch, (rows) => insertTransactions(trx, rows)));
}

/**
 * The transaction on a client of our own, because COPY needs the raw `pg` client and Kysely never
 * hands one out. The other statements still go through Kysely, bound to that one client.
 */
async function applyOnPoolClient(
  context: PostgresContext,
  pool: Pool,
  batch: SyncBatch,
): Promise<SyncBatchResult> {
  const client = await pool.connect();
  // A client whose rollback failed is in an unknown state: it is destroyed, not put back.
  let broken: Error | undefined;
  // While the client is ours the pool does not listen for its errors: a dropped connection would
  // be an uncaught 'error' event and end the process. The statement in flight rejects anyway.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    try {
      const result = await applyInTransaction(context, singleClientKysely(client), batch, (rows) =>
        copyTransactionRows(client, rows),
      );
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    }
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** Kysely over one checked-out client that it must neither release nor end. */
function singleClientKysely(client: PoolClient): Kysely<Database> {
  const connection = { query: client.query.bind(client), release() {} };
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => connection, end: async () => {} } }),
  });
}

async function applyInTransaction(
  context: PostgresContext,
  trx: Kysely<Database>,
  batch: SyncBatch,
  insertNew: (rows: Transaction[]) => Promise<void>,
): Promise<SyncBatchResult> {
  const { userId, connectionId } = batch;
  const now = context.clock.now();
  const previousCursor = await lockConnectionAndSetCursor(trx, batch, now);
  if (batch.expectedCursor !== undefined && batch.expectedCursor !== previousCursor) {
    throw new FinkitError('CONFLICT', `Connection ${connectionId} was synced by someone else meanwhile`, {
      details: { connectionId },
    });
  }
  const accounts = await upsertAccounts(trx, context, userId, connectionId, batch.accounts, now);
  const accountIds = new Map(accounts.map((account) => [account.providerAccountId, account.id]));
  // Rows may name accounts this batch does not carry; only then are the others read.
  if (batch.upserts.some((input) => !accountIds.has(input.providerAccountId))) {
    const accountRows = await trx
      .selectFrom('accounts')
      .select(['id', 'provider_account_id'])
      .where('connection_id', '=', connectionId)
      .execute();
    for (const row of accountRows) accountIds.set(row.provider_account_id, row.id);
  }
  await assertKnownCategories(
    trx,
    userId,
    batch.upserts.map((input) => input.categoryId),
  );

  const existing = await lockTouchedRows(trx, connectionId, batch);
  const existingIds = new Set([...existing.values()].map((row) => row.id));
  const { writes, embeddings, result } = planSyncRows({
    batch,
    accountIds,
    existing,
    newId: context.newId,
    now,
  });
  const inserts: Transaction[] = [];
  const updates: Transaction[] = [];
  for (const row of writes.values()) (existingIds.has(row.id) ? updates : inserts).push(row);
  await insertNew(inserts);
  await updateTransactions(trx, updates);
  for (let i = 0; i < embeddings.length; i += chunkSize) {
    await writeEmbeddings(context, trx, userId, embeddings.slice(i, i + chunkSize), now);
  }
  return result;
}

/**
 * Locks the user's connection row and moves its cursor in one statement, returning the cursor it
 * had: the subquery's `for update` waits for any other batch on the connection and then reads the
 * row as that batch committed it, so the compare-and-set sees the latest cursor. Writing the cursor
 * before the rows is safe because a failure anywhere later rolls it back with them.
 * @throws NOT_FOUND unless the connection exists and is the user's.
 */
async function lockConnectionAndSetCursor(
  trx: Kysely<Database>,
  batch: SyncBatch,
  now: Date,
): Promise<string | null> {
  const result = await sql<{ cursor: string | null }>`
    update connections c
    set cursor = ${batch.nextCursor}, last_synced_at = ${new Date(batch.syncedAt)}, updated_at = ${now}
    from (
      select id, cursor from connections
      where id = ${batch.connectionId} and user_id = ${batch.userId}
      for update
    ) as previous
    where c.id = previous.id
    returning previous.cursor
  `.execute(trx);
  const row = result.rows[0];
  if (row === undefined) throw notFound('Connection', batch.connectionId);
  return row.cursor;
}

/** The connection's rows the batch names (upserted, replaced pending, removed), locked, by provider id. */
async function lockTouchedRows(
  db: Kysely<Database>,
  connectionId: string,
  batch: SyncBatch,
): Promise<Map<string, Transaction>> {
  const wanted = new Set<string>(batch.removed);
  for (const input of batch.upserts) {
    wanted.add(input.providerTransactionId);
    if (input.pendingTransactionId !== null) wanted.add(input.pendingTransactionId);
  }
  const byProviderId = new Map<string, Transaction>();
  if (wanted.size === 0) return byProviderId;
  // Locked in the subquery, then aggregated: one JSON value decodes far faster than wide rows. One
  // probe of the (connection, provider id) key per id, by a lateral join: with `= any(array)` the
  // planner, whose statistics still described a small table while a first sync filled it, scanned
  // every row of the connection and compared each with the whole array (server CPU per 500-row
  // batch grew with the table; 5 ms against 1.5 ms at 60k rows).
  const result = await sql<{ rows: string }>`
    select coalesce(json_agg(t), '[]')::text as rows from (
      select t.* from unnest(${[...wanted]}::text[]) as wanted (provider_transaction_id)
      cross join lateral (
        select * from transactions
        where connection_id = ${connectionId} and provider_transaction_id = wanted.provider_transaction_id
        for update
      ) as t
    ) as t
  `.execute(db);
  const rows = JSON.parse(result.rows[0]?.rows ?? '[]') as JsonTransactionRow[];
  for (const row of rows) byProviderId.set(row.provider_transaction_id, toTransactionFromJson(row));
  return byProviderId;
}

/**
 * Inserts rows the batch created. No conflict clause: their ids are new, and the connection lock
 * keeps any other writer from adding the same provider ids meanwhile (a unique violation would
 * still abort the whole batch rather than half-write it).
 */
async function insertTransactions(db: Kysely<Database>, rows: Transaction[]): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await sql`
      insert into transactions (${transactionColumns})
      select * from ${transactionRowsSql(rows.slice(i, i + chunkSize))} as x
    `.execute(db);
  }
}

/**
 * Overwrites the merged values of rows that exist (and are locked by `lockTouchedRows`). Written
 * as an upsert on the primary key because that path always probes the key: an `update ... from
 * unnest(...)` join was planned as a sequential scan of the whole table whenever its statistics
 * were stale, as they are right after a large sync (500 changed rows of 100k: 1.7 s on PGlite).
 */
async function updateTransactions(db: Kysely<Database>, rows: Transaction[]): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await sql`
      insert into transactions (${transactionColumns})
      select * from ${transactionRowsSql(rows.slice(i, i + chunkSize))} as x
      on conflict (id) do update set
        account_id = excluded.account_id,
        pending_transaction_id = excluded.pending_transaction_id,
        date = excluded.date,
        authorized_date = excluded.authorized_date,
        amount = excluded.amount,
        currency = excluded.currency,
        description = excluded.description,
        merchant_name = excluded.merchant_name,
        pending = excluded.pending,
        category_id = excluded.category_id,
        category_confidence = excluded.category_confidence,
        category_explanation = excluded.category_explanation,
        provider_category = excluded.provider_category,
        notes = excluded.notes,
        tags = excluded.tags,
        hidden = excluded.hidden,
        sources = excluded.sources,
        removed_at = excluded.removed_at,
        updated_at = excluded.updated_at
    `.execute(db);
  }
}
