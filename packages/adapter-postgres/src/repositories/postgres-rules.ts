import { notFound, type Rule, type RuleActions, type RuleCondition, type RuleRepository } from '@finkit/core';
import { type Selectable, sql } from 'kysely';
import type { RulesTable } from '../database.js';
import type { PostgresContext } from '../postgres-context.js';

function toRule(row: Selectable<RulesTable>): Rule {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    enabled: row.enabled,
    stage: row.stage as Rule['stage'],
    priority: row.priority,
    match: row.match as Rule['match'],
    conditions: row.conditions as RuleCondition[],
    actions: row.actions as RuleActions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createPostgresRules(context: PostgresContext): RuleRepository {
  const { db, clock, newId } = context;
  return {
    async create(userId, rule) {
      const now = clock.now();
      const row = await db
        .insertInto('rules')
        .values({
          id: newId(),
          user_id: userId,
          name: rule.name,
          enabled: rule.enabled,
          stage: rule.stage,
          priority: rule.priority,
          match: rule.match,
          conditions: JSON.stringify(rule.conditions),
          actions: JSON.stringify(rule.actions),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRule(row);
    },
    async get(userId, id) {
      const row = await db
        .selectFrom('rules')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toRule(row);
    },
    async list(userId) {
      const rows = await db
        .selectFrom('rules')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy(sql`case stage when 'pre' then 0 when 'default' then 1 else 2 end`)
        .orderBy('priority')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRule);
    },
    async update(userId, id, patch) {
      const row = await db
        .updateTable('rules')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.enabled !== undefined && { enabled: patch.enabled }),
          ...(patch.stage !== undefined && { stage: patch.stage }),
          ...(patch.priority !== undefined && { priority: patch.priority }),
          ...(patch.match !== undefined && { match: patch.match }),
          ...(patch.conditions !== undefined && { conditions: JSON.stringify(patch.conditions) }),
          ...(patch.actions !== undefined && { actions: JSON.stringify(patch.actions) }),
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw notFound('Rule', id);
      return toRule(row);
    },
    async delete(userId, id) {
      const result = await db
        .deleteFrom('rules')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound('Rule', id);
    },
  };
}
