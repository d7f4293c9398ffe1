import type { PushSubscriptionRepository } from '../ports/store.js';
import { copyOut, type MemoryContext } from './memory-context.js';

export function createMemoryPushSubscriptions(context: MemoryContext): PushSubscriptionRepository {
  const { read, write } = context;
  return {
    async list(userId) {
      return [...read().pushSubscriptions.values()]
        .filter((row) => row.userId === userId)
        .sort(
          (a, b) =>
            a.createdAt.getTime() - b.createdAt.getTime() ||
            (a.subscription.endpoint < b.subscription.endpoint ? -1 : 1),
        )
        .map((row) => copyOut(row.subscription));
    },
    async add(userId, subscription) {
      write((draft, now) => {
        const existing = draft.pushSubscriptions.get(subscription.endpoint);
        draft.pushSubscriptions.set(subscription.endpoint, {
          userId,
          subscription: {
            endpoint: subscription.endpoint,
            keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth },
          },
          // Renewing keeps the place in the user's list; an endpoint taken from another user is new to this one.
          createdAt: existing?.userId === userId ? existing.createdAt : now,
        });
      });
    },
    async remove(userId, endpoint) {
      return write((draft) =>
        draft.pushSubscriptions.get(endpoint)?.userId === userId
          ? draft.pushSubscriptions.delete(endpoint)
          : false,
      );
    },
  };
}
