import {
  FinkitError,
  planSyncRows,
  type SyncBatch,
  type SyncBatchResult,
  type Transaction,
} from '@finkit/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import { assertKnownCategories, type PostgresContext, requireConnection } from './postgres-context.js';
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
 * every write is a bulk statement: new rows a plain insert, changed ones an upsert by id.
 */
export async function applySyncBatch(context: PostgresContext, batch: SyncBatch): Promise<SyncBatchResult> {
  const { userId, connectionId } = batch;
  for (const input of batch.upserts) {
    if (input.embedding !== undefined)
      assertDimensions(context, input.embedding.vector.length, input.embedding.model);
  }
  return context.db.transaction().execute(async (trx) => {
    const connection = await requireConnection(trx, userId, connectionId, true);
    if (batch.expectedCursor !== undefined && batch.expectedCursor !== connection.cursor) {
      throw new FinkitError('CONFLICT', `Connection ${connectionId} was synced by someone else meanwhile`, {
        details: { connectionId },
      });
    }
    const now = context.clock.now();
    await upsertAccounts(trx, context, userId, connectionId, batch.accounts, now);
    const accountRows = await trx
      .selectFrom('accounts')
      .select(['id', 'provider_account_id'])
      .where('connection_id', '=', connectionId)
      .execute();
    const accountIds = new Map(accountRows.map((row) => [row.provider_account_id, row.id]));
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
    await insertTransactions(trx, inserts);
    await updateTransactions(trx, updates);
    for (let i = 0; i < embeddings.length; i += chunkSize) {
      await writeEmbeddings(context, trx, userId, embeddings.slice(i, i + chunkSize), now);
    }
    await trx
      .updateTable('connections')
      .set({ cursor: batch.nextCursor, last_synced_at: new Date(batch.syncedAt), updated_at: now })
      .where('id', '=', connectionId)
      .execute();
    return result;
  });
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
  // Locked in the subquery, then aggregated: one JSON value decodes far faster than wide rows.
  const result = await sql<{ rows: string }>`
    select coalesce(json_agg(t), '[]')::text as rows from (
      select * from transactions
      where connection_id = ${connectionId} and provider_transaction_id = any(${[...wanted]}::text[])
      for update
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
