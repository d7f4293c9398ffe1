import type { SyncBatch } from '@finkit/core';
import type { Selectable } from 'kysely';
import type { PoolClient } from 'pg';
import type { AccountsTable } from './database.js';
import { toTextArrayLiteral } from './sql-values.js';

/** What applySyncBatch reads under the connection's lock before it plans its writes. */
export interface SyncBatchReads {
  /** The cursor the connection had; undefined when the connection is not the user's (or missing). */
  previousCursor: string | null | undefined;
  /** Every account of the connection. */
  accounts: Selectable<AccountsTable>[];
  /** Those of the asked-for category ids that are the user's own. */
  knownCategories: Set<string>;
  /** The touched rows, locked, as one `json_agg` text (decoding one value beats decoding wide rows). */
  touchedJson: string;
}

/**
 * The statement that locks one connection's rows by provider id and aggregates them, for both
 * paths. One probe of the (connection, provider id) key per id, by a lateral join: with
 * `= any(array)` the planner, whose statistics still described a small table while a first sync
 * filled it, scanned every row of the connection and compared each with the whole array (server
 * CPU per 500-row batch grew with the table; 5 ms against 1.5 ms at 60k rows). `userId` keeps a
 * batch naming someone else's connection from locking that user's rows on the way to NOT_FOUND.
 */
export function touchedRowsSql(connectionId: string, userId: string, wanted: string): string {
  return `select coalesce(json_agg(t), '[]')::text as rows from (
      select t.* from unnest(${wanted}::text[]) as wanted (provider_transaction_id)
      cross join lateral (
        select * from transactions
        where connection_id = ${connectionId} and provider_transaction_id = wanted.provider_transaction_id
          and user_id = ${userId}
        for update
      ) as t
    ) as t`;
}

/**
 * Begins the transaction on `client` and, in the same round trip, locks the connection row and moves
 * its cursor, reads its accounts, checks the categories and locks the touched rows: one simple-query
 * message of several statements, because node-postgres sends one message at a time and each message
 * costs a round trip plus a wake-up of the server. Values go in as escaped literals (the simple
 * protocol has no parameters). Each statement of the message takes its own snapshot, as separate
 * queries would, so rows a concurrent batch committed while this one waited for the connection lock
 * are seen by the probe that follows it: they are merged, never inserted twice.
 *
 * On error the transaction is left aborted for the caller's rollback.
 */
export async function openSyncBatch(
  client: PoolClient,
  batch: SyncBatch,
  touched: readonly string[],
  categoryIds: readonly string[],
  now: Date,
): Promise<SyncBatchReads> {
  const literal = (value: string | null) => (value === null ? 'null' : client.escapeLiteral(value));
  // One array literal, not `array[...]` of many: the server parses it in one pass instead of
  // building and folding an expression per element (100k ids in one batch).
  const array = (values: readonly string[]) => `${literal(toTextArrayLiteral(values))}::text[]`;
  const connectionId = literal(batch.connectionId);
  const userId = literal(batch.userId);
  const statements = [
    'begin',
    // The subquery's `for update` waits for any other batch on the connection and then reads the
    // row as that batch committed it, so the compare-and-set sees the latest cursor.
    `update connections c
     set cursor = ${literal(batch.nextCursor)},
       last_synced_at = ${literal(new Date(batch.syncedAt).toISOString())}::timestamptz,
       updated_at = ${literal(now.toISOString())}::timestamptz
     from (select id, cursor from connections where id = ${connectionId} and user_id = ${userId} for update)
       as previous
     where c.id = previous.id
     returning previous.cursor`,
    `select * from accounts where connection_id = ${connectionId} and user_id = ${userId}`,
  ];
  if (categoryIds.length > 0) {
    statements.push(
      `select id from categories where user_id = ${userId} and id = any(${array(categoryIds)})`,
    );
  }
  if (touched.length > 0) statements.push(touchedRowsSql(connectionId, userId, array(touched)));
  // A multi-statement message answers with one result per statement.
  const results = (await client.query(statements.join(';\n'))) as unknown as {
    rows: Record<string, unknown>[];
  }[];
  const cursorRow = results[1]!.rows[0] as { cursor: string | null } | undefined;
  return {
    previousCursor: cursorRow === undefined ? undefined : cursorRow.cursor,
    accounts: results[2]!.rows as Selectable<AccountsTable>[],
    knownCategories: new Set(categoryIds.length > 0 ? results[3]!.rows.map((row) => row.id as string) : []),
    touchedJson: touched.length > 0 ? (results.at(-1)!.rows[0]!.rows as string) : '[]',
  };
}
