import type { NotificationPreferencesRepository } from '@finkit/core';
import { sql } from 'kysely';
import type { PostgresContext } from '../postgres-context.js';

export function createPostgresNotificationPreferences({
  db,
  clock,
}: PostgresContext): NotificationPreferencesRepository {
  return {
    async get(userId) {
      const row = await db
        .selectFrom('notification_preferences')
        .select(['preferences', 'version'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? { json: row.preferences, version: Number(row.version) } : null;
    },
    async put(userId, json, expectedVersion) {
      const updatedAt = clock.now();
      // Compare-and-set in one statement: the row lock of the insert or update decides between
      // two writers, and the loser sees no row returned.
      const row =
        expectedVersion === 0
          ? await db
              .insertInto('notification_preferences')
              .values({ user_id: userId, preferences: json, version: 1, updated_at: updatedAt })
              .onConflict((oc) => oc.column('user_id').doNothing())
              .returning('version')
              .executeTakeFirst()
          : await db
              .updateTable('notification_preferences')
              .set({ preferences: json, version: sql`version + 1`, updated_at: updatedAt })
              .where('user_id', '=', userId)
              .where('version', '=', expectedVersion)
              .returning('version')
              .executeTakeFirst();
      return row ? Number(row.version) : null;
    },
  };
}
