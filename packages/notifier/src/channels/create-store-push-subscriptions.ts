import type { Store } from '@finkit/core';
import type { PushSubscriptions } from './push-subscriptions.js';

/**
 * Push subscriptions kept in the Store (`store.pushSubscriptions`), so they survive restarts and
 * every process sees the same ones; a subscription the push service calls gone is deleted there.
 */
export function createStorePushSubscriptions(store: Pick<Store, 'pushSubscriptions'>): PushSubscriptions {
  return {
    list: (userId) => store.pushSubscriptions.list(userId),
    add: (userId, subscription) => store.pushSubscriptions.add(userId, subscription),
    async remove(userId, endpoint) {
      await store.pushSubscriptions.remove(userId, endpoint);
    },
  };
}
