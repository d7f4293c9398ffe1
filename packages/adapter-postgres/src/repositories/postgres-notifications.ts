import { type Notification, type NotificationRepository, notFound } from '@finkit/core';
import type { Selectable } from 'kysely';
import type { NotificationsTable } from '../database.js';
import type { PostgresContext } from '../postgres-context.js';

function toNotification(row: Selectable<NotificationsTable>): Notification {
  return {
    id: row.id,
    userId: row.user_id,
    type: row.type,
    dedupeKey: row.dedupe_key,
    title: row.title,
    body: row.body,
    data: row.data,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

export function createPostgresNotifications(context: PostgresContext): NotificationRepository {
  const { db, clock, newId } = context;
  return {
    async create(userId, input) {
      // The unique (user_id, dedupe_key) decides races between processes; the loser reads the winner.
      const inserted = await db
        .insertInto('notifications')
        .values({
          id: newId(),
          user_id: userId,
          type: input.type,
          dedupe_key: input.dedupeKey,
          title: input.title,
          body: input.body,
          data: JSON.stringify(input.data),
          created_at: clock.now(),
          read_at: null,
        })
        .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { notification: toNotification(inserted), created: true };
      const existing = await db
        .selectFrom('notifications')
        .selectAll()
        .where('user_id', '=', userId)
        .where('dedupe_key', '=', input.dedupeKey)
        .executeTakeFirstOrThrow();
      return { notification: toNotification(existing), created: false };
    },
    async list(userId, options = {}) {
      let query = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
      if (options.unreadOnly === true) query = query.where('read_at', 'is', null);
      if (options.limit !== undefined) query = query.limit(Math.max(0, Math.floor(options.limit)));
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toNotification);
    },
    async markRead(userId, id, at) {
      // The first read is the one that counts; marking again changes nothing.
      const row = await db
        .updateTable('notifications')
        .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw notFound('Notification', id);
      return toNotification(row);
    },
  };
}
