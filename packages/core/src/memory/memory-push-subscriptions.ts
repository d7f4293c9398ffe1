import type { PushSubscriptionRepository } from '../ports/store.js';
import { copyOut, type MemoryContext } from './memory-context.js';

const key = (userId: string, endpoint: string) => `${userId}\u0000${endpoint}`;

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
        const existing = draft.pushSubscriptions.get(key(userId, subscription.endpoint));
        draft.pushSubscriptions.set(key(userId, subscription.endpoint), {
          userId,
          subscription: {
            endpoint: subscription.endpoint,
            keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth },
          },
          // Replacing the keys keeps the place in the list.
          createdAt: existing?.createdAt ?? now,
        });
      });
    },
    async remove(userId, endpoint) {
      return write((draft) => draft.pushSubscriptions.delete(key(userId, endpoint)));
    },
  };
}
