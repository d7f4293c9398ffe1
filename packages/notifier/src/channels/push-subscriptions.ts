import type { PushSubscriptionRecord as CorePushSubscriptionRecord } from '@finkit/core';

/** A browser's push subscription as `PushSubscription.toJSON()` gives it (without `expirationTime`). */
export type PushSubscriptionRecord = CorePushSubscriptionRecord;

/** Where each user's push subscriptions live. The web push channel removes ones the service calls gone. */
export interface PushSubscriptions {
  list(userId: string): Promise<PushSubscriptionRecord[]>;
  /** Adds or replaces (by endpoint). */
  add(userId: string, subscription: PushSubscriptionRecord): Promise<void>;
  remove(userId: string, endpoint: string): Promise<void>;
}

/** In one process's memory, gone at exit; `createStorePushSubscriptions` keeps them in the Store. */
export function createMemoryPushSubscriptions(): PushSubscriptions {
  const byUser = new Map<string, Map<string, PushSubscriptionRecord>>();
  return {
    async list(userId) {
      return [...(byUser.get(userId)?.values() ?? [])].map((s) => structuredClone(s));
    },
    async add(userId, subscription) {
      const subscriptions = byUser.get(userId) ?? new Map<string, PushSubscriptionRecord>();
      subscriptions.set(subscription.endpoint, structuredClone(subscription));
      byUser.set(userId, subscriptions);
    },
    async remove(userId, endpoint) {
      byUser.get(userId)?.delete(endpoint);
    },
  };
}
