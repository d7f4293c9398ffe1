import type { PushSubscriptionRepository } from '@finkit/core';
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
      // Replacing the keys keeps created_at, so a renewed subscription keeps its place in the list.
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
          oc.columns(['user_id', 'endpoint']).doUpdateSet({ p256dh, auth, updated_at: now }),
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
