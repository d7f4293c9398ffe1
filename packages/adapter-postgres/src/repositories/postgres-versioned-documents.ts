import type { LearnerStateRepository } from '@finkit/core';
import { sql } from 'kysely';
import type { PostgresContext } from '../postgres-context.js';

/**
 * One JSON document per user with a version raised on every write (the learner's state, the
 * user's notification choices): read it, read its version, replace it by compare-and-set.
 */
export function createPostgresVersionedDocuments(
  { db, clock }: PostgresContext,
  table: 'learner_state' | 'notification_preferences',
  column: 'state' | 'preferences',
): LearnerStateRepository {
  const into = sql.table(table);
  const document = sql.ref(column);
  return {
    async get(userId) {
      const { rows } = await sql<{ json: string; version: string | number }>`
        select ${document} as json, version from ${into} where user_id = ${userId}
      `.execute(db);
      const [row] = rows;
      return row ? { json: row.json, version: Number(row.version) } : null;
    },
    async version(userId) {
      const { rows } = await sql<{ version: string | number }>`
        select version from ${into} where user_id = ${userId}
      `.execute(db);
      return rows[0] ? Number(rows[0].version) : 0;
    },
    async put(userId, json, expectedVersion) {
      const updatedAt = clock.now();
      // Compare-and-set in one statement: the row lock of the insert or update decides between
      // two writers (in any process), and the loser sees no row returned.
      const { rows } =
        expectedVersion === 0
          ? await sql<{ version: string | number }>`
              insert into ${into} (user_id, ${document}, version, updated_at)
              values (${userId}, ${json}, 1, ${updatedAt})
              on conflict (user_id) do nothing
              returning version
            `.execute(db)
          : await sql<{ version: string | number }>`
              update ${into} set ${document} = ${json}, version = version + 1, updated_at = ${updatedAt}
              where user_id = ${userId} and version = ${expectedVersion}
              returning version
            `.execute(db);
      return rows[0] ? Number(rows[0].version) : null;
    },
  };
}
