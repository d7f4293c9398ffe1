import type { LearnerStateRepository } from '@finkit/core';
import { sql } from 'kysely';
import type { PostgresContext } from '../postgres-context.js';

export function createPostgresLearnerState({ db, clock }: PostgresContext): LearnerStateRepository {
  return {
    async get(userId) {
      const row = await db
        .selectFrom('learner_state')
        .select(['state', 'version'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? { json: row.state, version: Number(row.version) } : null;
    },
    async version(userId) {
      const row = await db
        .selectFrom('learner_state')
        .select('version')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? Number(row.version) : 0;
    },
    async put(userId, json, expectedVersion) {
      const updatedAt = clock.now();
      // Compare-and-set in one statement: the row lock of the insert or update decides between
      // two processes writing at once, and the loser sees no row returned.
      const row =
        expectedVersion === 0
          ? await db
              .insertInto('learner_state')
              .values({ user_id: userId, state: json, version: 1, updated_at: updatedAt })
              .onConflict((oc) => oc.column('user_id').doNothing())
              .returning('version')
              .executeTakeFirst()
          : await db
              .updateTable('learner_state')
              .set({ state: json, version: sql`version + 1`, updated_at: updatedAt })
              .where('user_id', '=', userId)
              .where('version', '=', expectedVersion)
              .returning('version')
              .executeTakeFirst();
      return row ? Number(row.version) : null;
    },
  };
}
