import {
  type Budget,
  type BudgetPeriod,
  type BudgetRepository,
  type CategoryKind,
  notFound,
} from '@finkit/core';
import { type Selectable, sql } from 'kysely';
import { aggregateOrderSql, aggregateSql, toAggregateRow } from '../aggregate-sql.js';
import type { BudgetsTable } from '../database.js';
import type { PostgresContext } from '../postgres-context.js';
import { executeRead } from '../prepared-statements.js';
import { toIsoDate, toNullableIsoDate, toSafeNumber } from '../sql-values.js';
import { categoryList } from './postgres-categories.js';

function toBudget(row: Selectable<BudgetsTable>): Budget {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    categoryIds: row.category_ids,
    amount: toSafeNumber(row.amount),
    currency: row.currency,
    period: row.period as BudgetPeriod,
    periodStartDay: row.period_start_day,
    weekStartsOn: row.week_starts_on,
    timezone: row.timezone,
    startDate: toIsoDate(row.start_date),
    endDate: toNullableIsoDate(row.end_date),
    rollover: row.rollover,
    thresholds: row.thresholds,
    includePending: row.include_pending,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// Named, not `b.*`: a prepared statement's result type must survive a migration adding a column.
const budgetColumns = sql.raw(
  [
    'id',
    'user_id',
    'name',
    'category_ids',
    'amount',
    'currency',
    'period',
    'period_start_day',
    'week_starts_on',
    'timezone',
    'start_date',
    'end_date',
    'rollover',
    'thresholds',
    'include_pending',
    'created_at',
    'updated_at',
  ]
    .map((column) => `b.${column}`)
    .join(', '),
);

type SnapshotCategory = [string, string, string, string | null, number | string, number | string];
type SnapshotAggregate = [string, string | null, boolean | null, string, string, string, string];

export function createPostgresBudgets(context: PostgresContext): BudgetRepository {
  const { db, clock, newId } = context;
  return {
    async create(userId, budget) {
      const now = clock.now();
      const row = await db
        .insertInto('budgets')
        .values({
          id: newId(),
          user_id: userId,
          name: budget.name,
          category_ids: budget.categoryIds,
          amount: budget.amount,
          currency: budget.currency,
          period: budget.period,
          period_start_day: budget.periodStartDay,
          week_starts_on: budget.weekStartsOn,
          timezone: budget.timezone,
          start_date: budget.startDate,
          end_date: budget.endDate,
          rollover: budget.rollover,
          thresholds: budget.thresholds,
          include_pending: budget.includePending,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toBudget(row);
    },
    async get(userId, id) {
      const row = await db
        .selectFrom('budgets')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toBudget(row);
    },
    async list(userId) {
      const rows = await db
        .selectFrom('budgets')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toBudget);
    },
    async update(userId, id, patch) {
      const row = await db
        .updateTable('budgets')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.categoryIds !== undefined && { category_ids: patch.categoryIds }),
          ...(patch.amount !== undefined && { amount: patch.amount }),
          ...(patch.currency !== undefined && { currency: patch.currency }),
          ...(patch.period !== undefined && { period: patch.period }),
          ...(patch.periodStartDay !== undefined && { period_start_day: patch.periodStartDay }),
          ...(patch.weekStartsOn !== undefined && { week_starts_on: patch.weekStartsOn }),
          ...(patch.timezone !== undefined && { timezone: patch.timezone }),
          ...(patch.startDate !== undefined && { start_date: patch.startDate }),
          ...(patch.endDate !== undefined && { end_date: patch.endDate }),
          ...(patch.rollover !== undefined && { rollover: patch.rollover }),
          ...(patch.thresholds !== undefined && { thresholds: patch.thresholds }),
          ...(patch.includePending !== undefined && { include_pending: patch.includePending }),
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw notFound('Budget', id);
      return toBudget(row);
    },
    async delete(userId, id) {
      // Its threshold crossings go with it (on delete cascade).
      const result = await db
        .deleteFrom('budgets')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound('Budget', id);
    },
    async snapshot(userId, budgetId, spending) {
      // One statement: the budget row, the user's categories and the aggregate travel together.
      // Categories' times leave as epoch milliseconds and sums as text, which JSON keeps exact.
      const aggregate =
        spending === undefined
          ? sql`'[]'::json`
          : sql`(
              select coalesce(json_agg(
                json_build_array(a.key, a.date, a.pending, a.currency, a.inflow::text, a.outflow::text, a.count::text)
                order by ${aggregateOrderSql}), '[]'::json)
              from (${aggregateSql(userId, spending)}) as a)`;
      const query = sql<
        Selectable<BudgetsTable> & { own_categories: SnapshotCategory[]; spending: SnapshotAggregate[] }
      >`
        select ${budgetColumns},
          (select coalesce(json_agg(json_build_array(c.id, c.name, c.kind, c.parent_id,
              floor(extract(epoch from c.created_at) * 1000), floor(extract(epoch from c.updated_at) * 1000))), '[]'::json)
            from categories as c where c.user_id = b.user_id) as own_categories,
          ${aggregate} as spending
        from budgets as b
        where b.id = ${budgetId} and b.user_id = ${userId}
      `;
      const [row] = await executeRead(context, query.compile(db));
      if (row === undefined) return null;
      return {
        budget: toBudget(row),
        categories: categoryList(
          row.own_categories.map(([id, name, kind, parentId, createdAt, updatedAt]) => ({
            id,
            userId,
            name,
            kind: kind as CategoryKind,
            parentId,
            createdAt: new Date(Number(createdAt)),
            updatedAt: new Date(Number(updatedAt)),
          })),
        ),
        spending: row.spending.map(([key, date, pending, currency, inflow, outflow, count]) =>
          toAggregateRow({ key, date, pending, currency, inflow, outflow, count }),
        ),
      };
    },
    async recordThresholdCrossing(userId, budgetId, periodStart, threshold) {
      return db.transaction().execute(async (trx) => {
        const budget = await trx
          .selectFrom('budgets')
          .select('id')
          .where('id', '=', budgetId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        if (budget === undefined) throw notFound('Budget', budgetId);
        // The primary key decides the race: exactly one inserter gets a row back, in any process.
        const inserted = await trx
          .insertInto('budget_threshold_crossings')
          .values({
            budget_id: budgetId,
            user_id: userId,
            period_start: periodStart,
            threshold,
            crossed_at: clock.now(),
          })
          .onConflict((oc) => oc.doNothing())
          .returning('budget_id')
          .executeTakeFirst();
        return inserted !== undefined;
      });
    },
  };
}
