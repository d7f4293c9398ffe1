import type { RawReader } from '@finkit/core/testing';

type Query = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Reads what the store wrote with plain SQL, trusting none of the store's code. Money must come back
 * as an int8 and dates as `date`: the reader checks the column types, not just the values.
 */
export function createRawReader(query: Query): RawReader {
  return {
    async connectionCursor(connectionId) {
      const rows = await query('select cursor from connections where id = $1', [connectionId]);
      return rows.length === 0 ? undefined : (rows[0]!.cursor as string | null);
    },
    async accountProviderIds(connectionId) {
      const rows = await query(
        'select provider_account_id from accounts where connection_id = $1 order by provider_account_id',
        [connectionId],
      );
      return rows.map((row) => row.provider_account_id as string);
    },
    async transactions(connectionId) {
      const rows = await query(
        `select id, provider_transaction_id, account_id, amount::text as amount, pg_typeof(amount)::text as amount_type,
           pg_typeof(date)::text as date_type, category_id, notes, removed_at is not null as removed
         from transactions where connection_id = $1 order by provider_transaction_id`,
        [connectionId],
      );
      return rows.map((row) => {
        if (row.amount_type !== 'bigint' || row.date_type !== 'date') {
          throw new Error(
            `Stored types are ${String(row.amount_type)}/${String(row.date_type)}, not bigint/date`,
          );
        }
        return {
          id: row.id as string,
          providerTransactionId: row.provider_transaction_id as string,
          accountId: row.account_id as string,
          amount: Number(row.amount),
          categoryId: row.category_id as string,
          notes: row.notes as string | null,
          removed: row.removed as boolean,
        };
      });
    },
  };
}
