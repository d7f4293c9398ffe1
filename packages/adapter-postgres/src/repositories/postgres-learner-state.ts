import type { LearnerStateRepository } from '@finkit/core';
import type { PostgresContext } from '../postgres-context.js';

export function createPostgresLearnerState({ db, clock }: PostgresContext): LearnerStateRepository {
  return {
    async get(userId) {
      const row = await db
        .selectFrom('learner_state')
        .select('state')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.state ?? null;
    },
    async put(userId, json) {
      const updatedAt = clock.now();
      await db
        .insertInto('learner_state')
        .values({ user_id: userId, state: json, updated_at: updatedAt })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ state: json, updated_at: updatedAt }))
        .execute();
    },
  };
}
