import { deliveryFailure, httpFailure } from '../delivery-failure.js';
import type { DeliveryChannel } from './delivery-channel.js';

export interface SendGridEmailChannelOptions {
  apiKey: string;
  from: { email: string; name?: string };
  /** Default `https://api.sendgrid.com`; tests point it at a local server. */
  baseUrl?: string;
  /** Per request, default 15 000 ms. */
  timeoutMs?: number;
  now?: () => Date;
}

/** Email through SendGrid's v3 mail-send API (202 Accepted on success). */
export function createSendGridEmailChannel(options: SendGridEmailChannelOptions): DeliveryChannel {
  const url = `${(options.baseUrl ?? 'https://api.sendgrid.com').replace(/\/$/, '')}/v3/mail/send`;
  const now = options.now ?? (() => new Date());
  return {
    kind: 'email',
    async reaches(recipient) {
      return recipient.email !== null;
    },
    async deliver({ notification, recipient, html, idempotencyKey }) {
      if (recipient.email === null) {
        throw deliveryFailure(`User ${recipient.userId} has no email address`, { permanent: true });
      }
      const body = {
        personalizations: [{ to: [{ email: recipient.email }] }],
        from: options.from,
        subject: notification.title,
        content: [
          { type: 'text/plain', value: notification.body },
          { type: 'text/html', value: html },
        ],
        // SendGrid echoes custom_args in its event webhook, so the app can drop repeats by key.
        custom_args: { finkit_idempotency_key: idempotencyKey, finkit_type: notification.type },
      };
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw deliveryFailure(`SendGrid unreachable: ${(error as Error).message}`, {
          permanent: false,
          cause: error,
        });
      }
      if (response.status !== 202 && response.status !== 200)
        throw await httpFailure('SendGrid', response, now());
      await response.arrayBuffer();
    },
    async close() {},
  };
}
