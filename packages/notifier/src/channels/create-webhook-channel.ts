import { deliveryFailure, httpFailure } from '../delivery-failure.js';
import { signWebhook } from '../webhook-signature.js';
import type { DeliveryChannel } from './delivery-channel.js';

export interface WebhookChannelOptions {
  /** The app's endpoint that receives every notification. */
  url: string;
  /** Shared with the receiver, which checks the signature with `verifyWebhookSignature`. */
  secret: string;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Posts each notification as JSON to the app, signed (`Finkit-Signature`) and carrying the
 * idempotency key as `Idempotency-Key` and the body's `id`, so a receiver can drop the repeat that
 * follows a crash between sending and recording.
 */
export function createWebhookChannel(options: WebhookChannelOptions): DeliveryChannel {
  const now = options.now ?? (() => new Date());
  return {
    kind: 'webhook',
    async reaches(_recipient) {
      return true;
    },
    async deliver({ notification, idempotencyKey }) {
      const at = now();
      const rawBody = JSON.stringify({
        id: idempotencyKey,
        type: notification.type,
        userId: notification.userId,
        dedupeKey: notification.dedupeKey,
        title: notification.title,
        body: notification.body,
        data: notification.data,
        sentAt: at.toISOString(),
      });
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': idempotencyKey,
            'finkit-signature': signWebhook(options.secret, rawBody, at),
          },
          body: rawBody,
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw deliveryFailure(`Webhook unreachable: ${(error as Error).message}`, {
          permanent: false,
          cause: error,
        });
      }
      if (response.status < 200 || response.status >= 300) {
        throw await httpFailure('Webhook receiver', response, at);
      }
      await response.arrayBuffer().catch(() => undefined);
    },
    async close() {},
  };
}
