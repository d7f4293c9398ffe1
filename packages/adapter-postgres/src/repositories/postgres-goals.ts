import { type Goal, type GoalContribution, type GoalRepository, notFound } from '@finkit/core';
import type { Selectable } from 'kysely';
import type { GoalContributionsTable, GoalsTable } from '../database.js';
import type { PostgresContext } from '../postgres-context.js';
import { toIsoDate, toNullableIsoDate, toSafeNumber } from '../sql-values.js';

function toGoal(row: Selectable<GoalsTable>): Goal {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    targetAmount: toSafeNumber(row.target_amount),
    currency: row.currency,
    targetDate: toNullableIsoDate(row.target_date),
    startingAmount: toSafeNumber(row.starting_amount),
    linkedAccountId: row.linked_account_id,
    annualYield: Number(row.annual_yield),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toContribution(row: Selectable<GoalContributionsTable>): GoalContribution {
  return {
    id: row.id,
    userId: row.user_id,
    goalId: row.goal_id,
    amount: toSafeNumber(row.amount),
    date: toIsoDate(row.date),
    note: row.note,
    createdAt: row.created_at,
  };
}

export function createPostgresGoals(context: PostgresContext): GoalRepository {
  const { db, clock, newId } = context;
  return {
    async create(userId, goal) {
      const now = clock.now();
      const row = await db
        .insertInto('goals')
        .values({
          id: newId(),
          user_id: userId,
          name: goal.name,
          target_amount: goal.targetAmount,
          currency: goal.currency,
          target_date: goal.targetDate,
          starting_amount: goal.startingAmount,
          linked_account_id: goal.linkedAccountId,
          annual_yield: goal.annualYield,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toGoal(row);
    },
    async get(userId, id) {
      const row = await db
        .selectFrom('goals')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toGoal(row);
    },
    async list(userId) {
      const rows = await db
        .selectFrom('goals')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toGoal);
    },
    async update(userId, id, patch) {
      const row = await db
        .updateTable('goals')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.targetAmount !== undefined && { target_amount: patch.targetAmount }),
          ...(patch.currency !== undefined && { currency: patch.currency }),
          ...(patch.targetDate !== undefined && { target_date: patch.targetDate }),
          ...(patch.startingAmount !== undefined && { starting_amount: patch.startingAmount }),
          ...(patch.linkedAccountId !== undefined && { linked_account_id: patch.linkedAccountId }),
          ...(patch.annualYield !== undefined && { annual_yield: patch.annualYield }),
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw notFound('Goal', id);
      return toGoal(row);
    },
    async delete(userId, id) {
      // Contributions go with the goal (on delete cascade).
      const result = await db
        .deleteFrom('goals')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound('Goal', id);
    },
    async recordMilestone(userId, goalId, key) {
      return db.transaction().execute(async (trx) => {
        const goal = await trx
          .selectFrom('goals')
          .select('id')
          .where('id', '=', goalId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        if (goal === undefined) throw notFound('Goal', goalId);
        // The primary key decides the race: exactly one inserter gets a row back, in any process.
        const inserted = await trx
          .insertInto('goal_milestones')
          .values({ goal_id: goalId, user_id: userId, key, recorded_at: clock.now() })
          .onConflict((oc) => oc.doNothing())
          .returning('goal_id')
          .executeTakeFirst();
        return inserted !== undefined;
      });
    },
    async addContribution(userId, goalId, input) {
      return db.transaction().execute(async (trx) => {
        const goal = await trx
          .selectFrom('goals')
          .select('id')
          .where('id', '=', goalId)
          .where('user_id', '=', userId)
          .forUpdate()
          .executeTakeFirst();
        if (goal === undefined) throw notFound('Goal', goalId);
        const row = await trx
          .insertInto('goal_contributions')
          .values({
            id: newId(),
            user_id: userId,
            goal_id: goalId,
            amount: input.amount,
            date: input.date,
            note: input.note,
            created_at: clock.now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toContribution(row);
      });
    },
    async listContributions(userId, goalId) {
      const rows = await db
        .selectFrom('goal_contributions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('goal_id', '=', goalId)
        .orderBy('date')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toContribution);
    },
  };
}
