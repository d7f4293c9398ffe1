import {
  FinkitError,
  notFound,
  planSyncRows,
  type SyncBatch,
  type SyncBatchResult,
  type Transaction,
} from '@finkit/core';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { checkOutClient } from './check-out-client.js';
import { copyTransactionRows } from './copy-transaction-rows.js';
import type { Database } from './database.js';
import { openSyncBatch, type SyncBatchReads, touchedRowsSql } from './open-sync-batch.js';
import { isDefaultCategoryId, type PostgresContext } from './postgres-context.js';
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
  return context.db.transaction().execute(async (trx) => {
    const now = context.clock.now();
    const reads = await readInTransaction(trx, batch, now);
    return applyReads(context, trx, batch, reads, now, (rows) => insertTransactions(trx, rows));
  });
}

/**
 * The transaction on a client of our own, because COPY needs the raw `pg` client and Kysely never
 * hands one out. The reads go out with `begin` in one round trip (openSyncBatch); the other
 * statements go through Kysely, bound to that one client.
 */
async function applyOnPoolClient(
  context: PostgresContext,
  pool: Pool,
  batch: SyncBatch,
): Promise<SyncBatchResult> {
  const fresh = freshConnectionsOf(pool);
  // The probe only tells new rows from stored ones when no row is linked or removed by another id.
  const mayGuess =
    fresh.has(batch.connectionId) &&
    batch.removed.length === 0 &&
    batch.upserts.every((input) => input.pendingTransactionId === null);
  if (mayGuess) {
    try {
      return await applyOnce(context, pool, batch, fresh, true);
    } catch (error) {
      // A row the guess took for new was stored after all (the unique key on the connection's
      // provider ids caught it, and the batch rolled back): again, with the probe.
      if ((error as { code?: unknown }).code !== '23505') throw error;
      fresh.delete(batch.connectionId);
    }
  }
  return applyOnce(context, pool, batch, fresh, false);
}

/**
 * Connections, per pool, whose last batch found none of its rows stored, as a first sync's batches
 * do one after another: the next batch guesses the same and skips the touched-row probe (500 key
 * probes, a tenth of a batch's server time). The guess needs no lock of its own: under the
 * connection lock no other batch adds rows, and one committed before the lock was taken is caught
 * by the unique (connection, provider id) key during the COPY, which fails the attempt as a whole.
 */
const freshConnections = new WeakMap<Pool, Set<string>>();
// Enough for every connection a process syncs at once; past it the hints start over.
const freshLimit = 10_000;

function freshConnectionsOf(pool: Pool): Set<string> {
  let fresh = freshConnections.get(pool);
  if (fresh === undefined) {
    fresh = new Set();
    freshConnections.set(pool, fresh);
  }
  return fresh;
}

async function applyOnce(
  context: PostgresContext,
  pool: Pool,
  batch: SyncBatch,
  fresh: Set<string>,
  guessNew: boolean,
): Promise<SyncBatchResult> {
  const held = await checkOutClient(pool);
  const { client } = held;
  // A client whose rollback failed is in an unknown state: it is destroyed, not put back.
  let broken: Error | undefined;
  try {
    const now = context.clock.now();
    // `begin` travels with the reads, so a failure may come with the transaction open or not yet
    // begun; a rollback outside one is only a warning, so it is sent either way.
    try {
      const touched = guessNew ? [] : touchedProviderIds(batch);
      const reads = await openSyncBatch(client, batch, touched, askedCategories(batch), now);
      const result = await applyReads(context, singleClientKysely(client), batch, reads, now, (rows) =>
        copyTransactionRows(client, rows),
      );
      await client.query('commit');
      if (reads.touchedJson === '[]' && batch.upserts.length > 0) {
        if (fresh.size >= freshLimit) fresh.clear();
        fresh.add(batch.connectionId);
      } else {
        fresh.delete(batch.connectionId);
      }
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    }
  } finally {
    held.release(broken);
  }
}

/** Kysely over one checked-out client that it must neither release nor end. */
function singleClientKysely(client: PoolClient): Kysely<Database> {
  const connection = { query: client.query.bind(client), release() {} };
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => connection, end: async () => {} } }),
  });
}

/** Provider ids the batch names (upserted, replaced pending, removed): the rows it may touch. */
function touchedProviderIds(batch: SyncBatch): string[] {
  const wanted = new Set<string>(batch.removed);
  for (const input of batch.upserts) {
    wanted.add(input.providerTransactionId);
    if (input.pendingTransactionId !== null) wanted.add(input.pendingTransactionId);
  }
  return [...wanted];
}

/** Category ids the batch assigns that only the user's own categories can answer. */
function askedCategories(batch: SyncBatch): string[] {
  return [...new Set(batch.upserts.map((input) => input.categoryId))].filter(
    (id) => !isDefaultCategoryId(id),
  );
}

/** openSyncBatch's reads as separate statements, for a store without a pool to check out of. */
async function readInTransaction(
  trx: Kysely<Database>,
  batch: SyncBatch,
  now: Date,
): Promise<SyncBatchReads> {
  const { userId, connectionId } = batch;
  const previousCursor = await lockConnectionAndSetCursor(trx, batch, now);
  const accounts = await trx
    .selectFrom('accounts')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('user_id', '=', userId)
    .execute();
  const asked = askedCategories(batch);
  const known =
    asked.length === 0
      ? []
      : await trx
          .selectFrom('categories')
          .select('id')
          .where('user_id', '=', userId)
          .where(sql<boolean>`id = any(${asked}::text[])`)
          .execute();
  const touched = touchedProviderIds(batch);
  let touchedJson = '[]';
  if (touched.length > 0) {
    const locked = await trx.executeQuery<{ rows: string }>(
      CompiledQuery.raw(touchedRowsSql('$1', '$2', '$3'), [connectionId, userId, touched]),
    );
    touchedJson = locked.rows[0]?.rows ?? '[]';
  }
  return {
    previousCursor,
    accounts,
    knownCategories: new Set(known.map((row) => row.id)),
    touchedJson,
  };
}

async function applyReads(
  context: PostgresContext,
  trx: Kysely<Database>,
  batch: SyncBatch,
  reads: SyncBatchReads,
  now: Date,
  insertNew: (rows: Transaction[]) => Promise<void>,
): Promise<SyncBatchResult> {
  const { userId, connectionId } = batch;
  if (reads.previousCursor === undefined) throw notFound('Connection', connectionId);
  if (batch.expectedCursor !== undefined && batch.expectedCursor !== reads.previousCursor) {
    throw new FinkitError('CONFLICT', `Connection ${connectionId} was synced by someone else meanwhile`, {
      details: { connectionId },
    });
  }
  const accounts = await upsertAccounts(
    trx,
    context,
    userId,
    connectionId,
    batch.accounts,
    now,
    reads.accounts,
  );
  // Rows may name accounts this batch does not carry: the connection's others answer for them.
  const accountIds = new Map(reads.accounts.map((row) => [row.provider_account_id, row.id]));
  for (const account of accounts) accountIds.set(account.providerAccountId, account.id);
  const missing = askedCategories(batch).find((id) => !reads.knownCategories.has(id));
  if (missing !== undefined) {
    throw new FinkitError('VALIDATION', `Unknown category ${missing}`, { details: { categoryId: missing } });
  }

  const existing = new Map<string, Transaction>();
  for (const row of JSON.parse(reads.touchedJson) as JsonTransactionRow[]) {
    existing.set(row.provider_transaction_id, toTransactionFromJson(row));
  }
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
 * @returns undefined unless the connection exists and is the user's.
 */
async function lockConnectionAndSetCursor(
  trx: Kysely<Database>,
  batch: SyncBatch,
  now: Date,
): Promise<string | null | undefined> {
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
  return result.rows[0]?.cursor;
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
 * Overwrites the merged values of rows that exist (and are locked by the touched-row probe). Written
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
