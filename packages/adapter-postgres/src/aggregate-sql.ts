import type { AggregateQuery, AggregateRow } from '@finkit/core';
import { type RawBuilder, sql } from 'kysely';
import { toSafeNumber } from './sql-values.js';
import { transactionFilterSql } from './transaction-rows.js';

/** One group as the database sends it; `date` and `pending` are null unless grouped by day. */
export interface AggregateSqlRow {
  key: string;
  date: string | null;
  pending: boolean | null;
  currency: string;
  inflow: string | number;
  outflow: string | number;
  count: string | number;
}

const groupKeys: Record<Exclude<AggregateQuery['groupBy'], 'categoryDay'>, RawBuilder<string>> = {
  category: sql`t.category_id`,
  month: sql`to_char(t.date, 'YYYY-MM')`,
  merchant: sql`coalesce(t.merchant_name, t.description)`,
  none: sql`'all'`,
};

/**
 * `transactions.aggregate` as a query of its own, unordered, so a larger statement can embed it:
 * `a.key collate "C", a.date, a.pending, a.currency collate "C"` is the order the port promises.
 * A day leaves as text (`to_char`), since the driver would turn a `date` into a local-midnight
 * `Date`; grouping on the column itself keeps the formatting to one call per output row.
 */
export function aggregateSql(userId: string, query: AggregateQuery): RawBuilder<AggregateSqlRow> {
  const sums = sql`
    coalesce(sum(t.amount) filter (where t.amount > 0), 0)::bigint as inflow,
    coalesce(sum(t.amount) filter (where t.amount < 0), 0)::bigint as outflow,
    count(*)::bigint as count`;
  const where = transactionFilterSql(userId, query.filter);
  if (query.groupBy === 'categoryDay') {
    return sql<AggregateSqlRow>`
      select t.category_id as key, to_char(t.date, 'YYYY-MM-DD') as date, t.pending, t.currency, ${sums}
      from transactions as t
      where ${where}
      group by t.category_id, t.date, t.pending, t.currency`;
  }
  return sql<AggregateSqlRow>`
    select ${groupKeys[query.groupBy]} as key, null::text as date, null::boolean as pending, t.currency, ${sums}
    from transactions as t
    where ${where}
    group by 1, 4`;
}

/** The port's order, for an `aggregateSql` aliased `a`. */
export const aggregateOrderSql = sql`a.key collate "C", a.date, a.pending, a.currency collate "C"`;

export function toAggregateRow(row: AggregateSqlRow): AggregateRow {
  const out: AggregateRow = {
    key: row.key,
    currency: row.currency,
    inflow: toSafeNumber(row.inflow),
    outflow: toSafeNumber(row.outflow),
    count: toSafeNumber(row.count),
  };
  if (row.date !== null) out.date = row.date;
  if (row.pending !== null) out.pending = row.pending;
  return out;
}
