import type { NotificationPreferencesRepository } from '@finkit/core';
import type { PostgresContext } from '../postgres-context.js';

export function createPostgresNotificationPreferences({
  db,
  clock,
}: PostgresContext): NotificationPreferencesRepository {
  return {
    async get(userId) {
      const row = await db
        .selectFrom('notification_preferences')
        .select('preferences')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.preferences ?? null;
    },
    async put(userId, json) {
      const updatedAt = clock.now();
      await db
        .insertInto('notification_preferences')
        .values({ user_id: userId, preferences: json, updated_at: updatedAt })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ preferences: json, updated_at: updatedAt }))
        .execute();
    },
  };
}
