import {
  applyTransactionEdit,
  assertPageLimit,
  decodeKeysetCursor,
  encodeKeysetCursor,
  FinkitError,
  isDeepEqual,
  notFound,
  postedSuccessor,
  type Transaction,
  type TransactionRepository,
} from '@finkit/core';
import { type Selectable, sql } from 'kysely';
import { type AggregateSqlRow, aggregateOrderSql, aggregateSql, toAggregateRow } from '../aggregate-sql.js';
import type { TransactionsTable } from '../database.js';
import { assertKnownCategories, type PostgresContext } from '../postgres-context.js';
import { executeRead } from '../prepared-statements.js';
import { toFloat4ArrayBinary } from '../sql-values.js';
import { toTransaction, transactionColumns, transactionFilterSql } from '../transaction-rows.js';

export function createPostgresTransactions(context: PostgresContext): TransactionRepository {
  const { db, clock } = context;
  return {
    async get(userId, id) {
      const row = await db
        .selectFrom('transactions')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toTransaction(row);
    },
    async list(userId, filter, page) {
      assertPageLimit(page.limit);
      const after = page.cursor ? decodeKeysetCursor(page.cursor) : null;
      const query = sql<Selectable<TransactionsTable>>`
        select ${transactionColumns} from transactions as t
        where ${transactionFilterSql(userId, filter)}
          ${after === null ? sql`` : sql`and (t.date, t.id) < (${after.date}::date, ${after.id})`}
        order by t.date desc, t.id desc
        limit ${page.limit + 1}`;
      const rows = await executeRead(context, query.compile(db));
      const items = rows.slice(0, page.limit).map(toTransaction);
      const last = items.at(-1);
      const nextCursor = rows.length > page.limit && last !== undefined ? encodeKeysetCursor(last) : null;
      return { items, nextCursor };
    },
    async getByProviderIds(userId, connectionId, providerTransactionIds) {
      if (providerTransactionIds.length === 0) return [];
      const rows = await db
        .selectFrom('transactions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('connection_id', '=', connectionId)
        .where(sql<boolean>`provider_transaction_id = any(${[...providerTransactionIds]}::text[])`)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toTransaction);
    },
    async edit(userId, edits, source) {
      if (edits.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const ids = [...new Set(edits.map((edit) => edit.id))];
        const stored = await trx
          .selectFrom('transactions')
          .selectAll()
          .where('user_id', '=', userId)
          .where(sql<boolean>`id = any(${ids}::text[])`)
          .forUpdate()
          .execute();
        const rows = new Map(stored.map((row) => [row.id, toTransaction(row)]));
        const missing = ids.find((id) => !rows.has(id));
        if (missing !== undefined) throw notFound('Transaction', missing);
        // An edit of a pending row the provider already replaced follows it to the posted row.
        const replaced = [...rows.values()].filter((row) => row.removedAt !== null);
        const successorOf = new Map<string, string>();
        if (replaced.length > 0) {
          const candidates = (
            await trx
              .selectFrom('transactions')
              .selectAll()
              .where('user_id', '=', userId)
              .where('removed_at', 'is', null)
              .where(sql<boolean>`connection_id = any(${replaced.map((r) => r.connectionId)}::text[])`)
              .where(
                sql<boolean>`pending_transaction_id = any(${replaced.map((r) => r.providerTransactionId)}::text[])`,
              )
              .forUpdate()
              .execute()
          ).map(toTransaction);
          for (const row of replaced) {
            const successor = postedSuccessor(candidates, row);
            if (!successor) continue;
            successorOf.set(row.id, successor.id);
            if (!rows.has(successor.id)) rows.set(successor.id, successor);
          }
        }
        await assertKnownCategories(
          trx,
          userId,
          edits.flatMap((edit) => (edit.fields.categoryId === undefined ? [] : [edit.fields.categoryId])),
        );
        const now = clock.now();
        const changed = new Map<string, Transaction>();
        for (const { id, fields } of edits) {
          const successor = successorOf.get(id);
          for (const target of successor ? [id, successor] : [id]) {
            const row = rows.get(target)!;
            const candidate: Transaction = { ...row, ...applyTransactionEdit(row, fields, source) };
            if (isDeepEqual(candidate, row)) continue;
            const next = { ...candidate, updatedAt: now };
            rows.set(target, next);
            changed.set(target, next);
          }
        }
        if (changed.size > 0) {
          const records = [...changed.values()].map((row) => ({
            id: row.id,
            category_id: row.categoryId,
            category_confidence: row.categoryConfidence,
            category_explanation: row.categoryExplanation,
            merchant_name: row.merchantName,
            notes: row.notes,
            tags: row.tags,
            hidden: row.hidden,
            sources: row.sources,
            updated_at: row.updatedAt,
          }));
          // One statement for the whole edit, however many rows.
          await sql`
            update transactions as t set
              category_id = x.category_id, category_confidence = x.category_confidence,
              category_explanation = x.category_explanation, merchant_name = x.merchant_name,
              notes = x.notes, tags = x.tags, hidden = x.hidden, sources = x.sources,
              updated_at = x.updated_at
            from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(
              id text, category_id text, category_confidence double precision, category_explanation text,
              merchant_name text, notes text, tags text[], hidden boolean, sources jsonb,
              updated_at timestamptz)
            where t.id = x.id and t.user_id = ${userId}
          `.execute(trx);
        }
        return edits.map(({ id }) => structuredClone(rows.get(successorOf.get(id) ?? id)!));
      });
    },
    async aggregate(userId, query) {
      const result = await sql<AggregateSqlRow>`
        select * from (${aggregateSql(userId, query)}) as a order by ${aggregateOrderSql}
      `.execute(db);
      return result.rows.map(toAggregateRow);
    },
    async setEmbeddings(userId, rows) {
      if (rows.length === 0) return;
      for (const { transactionId, model, vector } of rows) {
        if (vector.length === 0 || model.length === 0) {
          throw new FinkitError('VALIDATION', 'An embedding needs a model and a non-empty vector', {
            details: { transactionId },
          });
        }
        assertDimensions(context, vector.length, model);
      }
      await db.transaction().execute(async (trx) => {
        const ids = [...new Set(rows.map((row) => row.transactionId))];
        const owned = await trx
          .selectFrom('transactions')
          .select('id')
          .where('user_id', '=', userId)
          .where(sql<boolean>`id = any(${ids}::text[])`)
          .execute();
        const ownedIds = new Set(owned.map((row) => row.id));
        const missing = ids.find((id) => !ownedIds.has(id));
        if (missing !== undefined) throw notFound('Transaction', missing);
        await writeEmbeddings(context, trx, userId, rows, clock.now());
      });
    },
  };
}

/** @throws VALIDATION when the column has a fixed dimension and the vector does not fit it. */
export function assertDimensions(context: PostgresContext, length: number, model: string): void {
  const fixed = context.vectorDimensions;
  if (typeof fixed === 'number' && fixed !== length) {
    throw new FinkitError(
      'VALIDATION',
      `Embedding of ${model} has ${length} dimensions; this database stores ${fixed} (chosen at migration)`,
      { details: { model, dimensions: length, expected: fixed } },
    );
  }
}

/**
 * Upserts embeddings by (transaction, model) in one statement. Ownership is the caller's check.
 * The vectors travel as one binary real[] that each row slices and casts in SQL: printing and
 * parsing them as text took longer than inserting the transactions they belong to (PGlite).
 */
export async function writeEmbeddings(
  context: PostgresContext,
  db: PostgresContext['db'],
  userId: string,
  rows: readonly { transactionId: string; model: string; vector: Float32Array }[],
  now: Date,
): Promise<void> {
  // One row per key: a statement may not update the same row twice, and the last given wins.
  const byKey = new Map(rows.map((row) => [`${row.transactionId}\u0000${row.model}`, row]));
  if (byKey.size === 0) return;
  const unique = [...byKey.values()];
  const { buffer, first, last } = toFloat4ArrayBinary(unique.map((row) => row.vector));
  const cast = context.vectorDimensions !== undefined ? sql`vector` : sql`real[]`;
  await sql`
    insert into transaction_embeddings (transaction_id, model, user_id, embedding, created_at)
    select x.transaction_id, x.model, ${userId}, (${buffer}::real[])[x.first:x.last]::${cast}, ${now}::timestamptz
    from unnest(
      ${unique.map((row) => row.transactionId)}::text[],
      ${unique.map((row) => row.model)}::text[],
      ${first}::int[],
      ${last}::int[]
    ) as x(transaction_id, model, first, last)
    on conflict (transaction_id, model) do update set
      embedding = excluded.embedding,
      created_at = excluded.created_at
  `.execute(db);
}
