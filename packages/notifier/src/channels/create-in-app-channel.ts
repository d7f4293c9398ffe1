import type { Clock, EventBus, Store } from '@finkit/core';
import type { DeliveryChannel } from './delivery-channel.js';

/**
 * Stores the notification (`store.notifications`, once per dedupe key) and publishes
 * `notification.created` on the bus, which WebSocket subscribers receive.
 */
export function createInAppChannel(options: {
  store: Store;
  events?: EventBus;
  clock?: Clock;
}): DeliveryChannel {
  return {
    kind: 'in_app',
    async reaches(_recipient) {
      return true;
    },
    async deliver({ notification }) {
      const { notification: stored } = await options.store.notifications.create(notification.userId, {
        type: notification.type,
        dedupeKey: notification.dedupeKey,
        title: notification.title,
        body: notification.body,
        data: notification.data,
      });
      // Published even when the row already existed: that is a resend after a crash between the
      // write and the publish, and the bus event carries the stored id for clients to de-duplicate.
      await options.events?.publish({
        type: 'notification.created',
        userId: notification.userId,
        at: (options.clock?.now() ?? new Date()).toISOString(),
        data: { notificationId: stored.id, type: stored.type, title: stored.title, body: stored.body },
      });
    },
    async close() {},
  };
}
