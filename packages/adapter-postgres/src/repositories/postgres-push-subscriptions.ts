import type { PushSubscriptionRepository } from '@finkit/core';
import { sql } from 'kysely';
import type { PostgresContext } from '../postgres-context.js';

export function createPostgresPushSubscriptions({ db, clock }: PostgresContext): PushSubscriptionRepository {
  return {
    async list(userId) {
      const rows = await db
        .selectFrom('push_subscriptions')
        .select(['endpoint', 'p256dh', 'auth'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('endpoint')
        .execute();
      return rows.map((row) => ({ endpoint: row.endpoint, keys: { p256dh: row.p256dh, auth: row.auth } }));
    },
    async add(userId, subscription) {
      const now = clock.now();
      const { p256dh, auth } = subscription.keys;
      // One statement on the endpoint's unique index (migration 10): two users registering the
      // same browser at once end with one owner, never two rows or a unique violation. Renewing
      // keeps created_at (the place in the list); taking the endpoint from another user starts anew.
      await db
        .insertInto('push_subscriptions')
        .values({
          user_id: userId,
          endpoint: subscription.endpoint,
          p256dh,
          auth,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('endpoint').doUpdateSet({
            user_id: userId,
            p256dh,
            auth,
            updated_at: now,
            created_at: sql<Date>`case when push_subscriptions.user_id = excluded.user_id
              then push_subscriptions.created_at else excluded.created_at end`,
          }),
        )
        .execute();
    },
    async remove(userId, endpoint) {
      const result = await db
        .deleteFrom('push_subscriptions')
        .where('user_id', '=', userId)
        .where('endpoint', '=', endpoint)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
