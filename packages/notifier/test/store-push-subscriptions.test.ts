import { createMemoryStore, type OutgoingNotification } from '@finkit/core';
import { describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { createStorePushSubscriptions } from '../src/channels/create-store-push-subscriptions.js';
import { createWebPushChannel } from '../src/channels/create-web-push-channel.js';
import type { ChannelMessage } from '../src/channels/delivery-channel.js';
import { createSubscriptionKeys, decryptPushPayload, startPushService } from './push-service.js';

const notification: OutgoingNotification = {
  userId: 'u1',
  type: 'budget.threshold_crossed',
  dedupeKey: 'budget:b1:80',
  title: 'Groceries at 80%',
  body: 'You have spent $320.00 of $400.00.',
  data: { budgetId: 'b1' },
};
const message: ChannelMessage = {
  notification,
  recipient: { userId: 'u1', email: null, phone: null, locale: 'en-US', timeZone: 'UTC' },
  html: '',
  idempotencyKey: 'fk_store1',
};

describe('createStorePushSubscriptions', () => {
  it('the web push channel sends to the subscriptions in the store and deletes the ones the service calls gone', async () => {
    const push = await startPushService();
    try {
      const store = createMemoryStore();
      const subscriptions = createStorePushSubscriptions(store);
      const browser = createSubscriptionKeys();
      await subscriptions.add('u1', { endpoint: `${push.url}/live/1`, keys: browser.keys });
      await subscriptions.add('u1', { endpoint: `${push.url}/gone/2`, keys: createSubscriptionKeys().keys });
      await subscriptions.add('u2', { endpoint: `${push.url}/gone/2`, keys: createSubscriptionKeys().keys });
      const vapid = { subject: 'mailto:alerts@example.com', ...webPush.generateVAPIDKeys() };
      const channel = createWebPushChannel({ subscriptions, vapid });

      await channel.deliver(message);
      const live = push.requests.find((r) => r.url === '/live/1');
      expect(JSON.parse(decryptPushPayload(live?.body ?? Buffer.alloc(0), browser))).toMatchObject({
        id: 'fk_store1',
        title: notification.title,
      });
      expect(
        (await store.pushSubscriptions.list('u1')).map((s) => s.endpoint),
        'the gone one is deleted from the store',
      ).toEqual([`${push.url}/live/1`]);
      expect(
        (await store.pushSubscriptions.list('u2')).map((s) => s.endpoint),
        "another user's subscription on the same endpoint stays",
      ).toEqual([`${push.url}/gone/2`]);

      await subscriptions.remove('u1', `${push.url}/live/1`);
      expect(await store.pushSubscriptions.list('u1')).toEqual([]);
      expect(await channel.reaches(message.recipient)).toBe(false);
    } finally {
      await push.close();
    }
  });
});
