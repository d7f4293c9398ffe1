import { deliveryFailure, httpFailure } from '../delivery-failure.js';
import type { DeliveryChannel } from './delivery-channel.js';
import { fitSms } from './sms-segments.js';

export interface TwilioSmsChannelOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio number in E.164, or use `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
  /** Longer messages are truncated with an ellipsis. Default 3. */
  maxSegments?: number;
  /** Default `https://api.twilio.com`; tests point it at a local server. */
  baseUrl?: string;
  timeoutMs?: number;
  now?: () => Date;
}

/** SMS through Twilio's Messages resource: basic auth, form-encoded, 201 Created on success. */
export function createTwilioSmsChannel(options: TwilioSmsChannelOptions): DeliveryChannel {
  if (options.from === undefined && options.messagingServiceSid === undefined) {
    throw deliveryFailure('Twilio needs `from` or `messagingServiceSid`', { permanent: true });
  }
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const maxSegments = options.maxSegments ?? 3;
  const now = options.now ?? (() => new Date());
  return {
    kind: 'sms',
    async reaches(recipient) {
      return recipient.phone !== null;
    },
    async deliver({ notification, recipient }) {
      if (recipient.phone === null) {
        throw deliveryFailure(`User ${recipient.userId} has no phone number`, { permanent: true });
      }
      const form = new URLSearchParams({
        To: recipient.phone,
        Body: fitSms(`${notification.title}: ${notification.body}`, maxSegments).text,
      });
      if (options.messagingServiceSid !== undefined)
        form.set('MessagingServiceSid', options.messagingServiceSid);
      else if (options.from !== undefined) form.set('From', options.from);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw deliveryFailure(`Twilio unreachable: ${(error as Error).message}`, {
          permanent: false,
          cause: error,
        });
      }
      if (response.status !== 201 && response.status !== 200)
        throw await httpFailure('Twilio', response, now());
      await response.arrayBuffer();
    },
    async close() {},
  };
}
