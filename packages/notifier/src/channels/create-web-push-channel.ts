import { createHash } from 'node:crypto';
import webPush from 'web-push';
import { deliveryFailure, httpFailure } from '../delivery-failure.js';
import type { DeliveryChannel } from './delivery-channel.js';
import type { PushSubscriptions } from './push-subscriptions.js';

export interface WebPushChannelOptions {
  subscriptions: PushSubscriptions;
  /** VAPID keys (`webPush.generateVAPIDKeys()`) and a `mailto:` or https contact. */
  vapid: { subject: string; publicKey: string; privateKey: string };
  /** How long the push service keeps an undelivered message, seconds. Default 1 day. */
  ttlSec?: number;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291) from
 * `web-push`, sent with fetch. Every subscription of the user gets the message; one the push
 * service answers 404 or 410 for is gone and removed. Delivered when at least one accepted it.
 */
export function createWebPushChannel(options: WebPushChannelOptions): DeliveryChannel {
  const now = options.now ?? (() => new Date());
  return {
    kind: 'push',
    async reaches(recipient) {
      return (await options.subscriptions.list(recipient.userId)).length > 0;
    },
    async deliver({ notification, recipient, idempotencyKey }) {
      const subscriptions = await options.subscriptions.list(recipient.userId);
      if (subscriptions.length === 0) {
        throw deliveryFailure(`User ${recipient.userId} has no push subscription`, { permanent: true });
      }
      const payload = JSON.stringify({
        id: idempotencyKey,
        type: notification.type,
        title: notification.title,
        body: notification.body,
        data: notification.data,
      });
      // Same topic for a resend: the push service replaces a still-queued copy instead of adding one.
      const topic = createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32);
      let delivered = 0;
      let lastFailure: Error | undefined;
      for (const subscription of subscriptions) {
        const request = webPush.generateRequestDetails(subscription, payload, {
          vapidDetails: options.vapid,
          TTL: options.ttlSec ?? 86_400,
          contentEncoding: 'aes128gcm',
          topic,
        });
        let response: Response;
        try {
          response = await fetch(request.endpoint, {
            method: request.method,
            headers: request.headers as Record<string, string>,
            body: request.body === null ? null : new Uint8Array(request.body),
            signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
          });
        } catch (error) {
          lastFailure = deliveryFailure(`Push service unreachable: ${(error as Error).message}`, {
            permanent: false,
            cause: error,
          });
          continue;
        }
        if (response.status === 404 || response.status === 410) {
          await response.arrayBuffer();
          await options.subscriptions.remove(recipient.userId, subscription.endpoint);
          continue;
        }
        if (response.status >= 200 && response.status < 300) {
          await response.arrayBuffer();
          delivered += 1;
          continue;
        }
        lastFailure = await httpFailure('Push service', response, now());
      }
      if (delivered > 0) return;
      throw (
        lastFailure ??
        deliveryFailure(`Every push subscription of user ${recipient.userId} is gone`, { permanent: true })
      );
    },
    async close() {},
  };
}
