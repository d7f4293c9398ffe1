import type { OutgoingNotification } from '@finkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { createTwilioSmsChannel } from '../src/channels/create-twilio-sms-channel.js';
import { createWebPushChannel } from '../src/channels/create-web-push-channel.js';
import { createWebhookChannel } from '../src/channels/create-webhook-channel.js';
import type { ChannelMessage } from '../src/channels/delivery-channel.js';
import { createMemoryPushSubscriptions } from '../src/channels/push-subscriptions.js';
import { fitSms } from '../src/channels/sms-segments.js';
import { isPermanentFailure } from '../src/delivery-failure.js';
import { signWebhook, verifyWebhookSignature } from '../src/webhook-signature.js';
import { json, startHttpServer } from './http-test-server.js';
import { createSubscriptionKeys, decryptPushPayload, startPushService, verifyVapid } from './push-service.js';

const notification: OutgoingNotification = {
  userId: 'u1',
  type: 'goal.milestone_reached',
  dedupeKey: 'goal:g1:milestone:50',
  title: 'Holiday: 50% saved',
  body: 'You have saved $1,000.00 of $2,000.00.',
  data: { goalId: 'g1', percent: 50 },
};
const message: ChannelMessage = {
  notification,
  recipient: { userId: 'u1', email: null, phone: '+15005550006', locale: 'en-US', timeZone: 'UTC' },
  html: '',
  idempotencyKey: 'fk_key1',
};

describe('fitSms', () => {
  it('counts GSM-7 (extension characters twice) and UCS-2 segments and truncates with a matching ellipsis', () => {
    expect(fitSms('a'.repeat(160), 3)).toMatchObject({ encoding: 'GSM-7', segments: 1, truncated: false });
    expect(fitSms('a'.repeat(161), 3)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(fitSms('€'.repeat(80), 3)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(fitSms('€'.repeat(81), 3)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(fitSms('ł'.repeat(70), 3)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(fitSms('ł'.repeat(71), 3)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    const gsm = fitSms('word '.repeat(200), 2);
    expect(gsm).toMatchObject({ encoding: 'GSM-7', segments: 2, truncated: true });
    expect(gsm.text).toBe(`${'word '.repeat(60)}wor...`);
    const ucs = fitSms('😀'.repeat(200), 1);
    expect(ucs).toMatchObject({ encoding: 'UCS-2', segments: 1, truncated: true });
    expect(ucs.text).toBe(`${'😀'.repeat(34)}…`);
  });
});

describe('Twilio SMS channel', () => {
  let twilio: Awaited<ReturnType<typeof startHttpServer>>;
  const auth = `Basic ${Buffer.from('AC123:secret').toString('base64')}`;
  beforeAll(async () => {
    // Twilio's Messages resource: form-encoded POST with basic auth; 201 with the message JSON,
    // 400 with a numeric `code` for a bad number, 401 code 20003, 429 code 20429.
    twilio = await startHttpServer((request, response) => {
      if (request.url !== '/2010-04-01/Accounts/AC123/Messages.json')
        return json(response, 404, { code: 20404, status: 404 });
      if (request.headers.authorization !== auth)
        return json(response, 401, { code: 20003, message: 'Authenticate', status: 401 });
      const form = new URLSearchParams(request.body.toString('utf8'));
      const to = form.get('To') ?? '';
      if (to === '+15005550001') {
        return json(response, 400, {
          code: 21211,
          message: `The 'To' number ${to} is not a valid phone number.`,
          status: 400,
        });
      }
      if (to === '+15005550429')
        return json(
          response,
          429,
          { code: 20429, message: 'Too Many Requests', status: 429 },
          { 'retry-after': '1' },
        );
      json(response, 201, {
        sid: 'SM1',
        status: 'queued',
        to,
        from: form.get('From'),
        body: form.get('Body'),
        num_segments: '1',
      });
    });
  });
  afterAll(() => twilio.close());

  const channel = () =>
    createTwilioSmsChannel({
      accountSid: 'AC123',
      authToken: 'secret',
      from: '+15005550000',
      baseUrl: twilio.url,
      maxSegments: 1,
    });

  it('posts a form-encoded message with basic auth, truncated to the segment limit', async () => {
    await channel().deliver({ ...message, notification: { ...notification, body: 'x'.repeat(400) } });
    const form = new URLSearchParams(twilio.requests.at(-1)?.body.toString('utf8'));
    expect(twilio.requests.at(-1)?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form.get('To')).toBe('+15005550006');
    expect(form.get('From')).toBe('+15005550000');
    expect(form.get('Body')?.length).toBe(160);
    expect(form.get('Body')?.startsWith('Holiday: 50% saved: xxx')).toBe(true);
  });

  it('maps an invalid number to a permanent failure and 429 to RATE_LIMITED', async () => {
    const bad = await channel()
      .deliver({ ...message, recipient: { ...message.recipient, phone: '+15005550001' } })
      .catch((e: unknown) => e);
    expect((bad as Error).message).toContain('21211');
    expect(isPermanentFailure(bad)).toBe(true);
    const limited = await channel()
      .deliver({ ...message, recipient: { ...message.recipient, phone: '+15005550429' } })
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
  });
});

describe('web push channel', () => {
  it('encrypts for each subscription (RFC 8291), signs with VAPID and drops a gone subscription', async () => {
    const push = await startPushService();
    try {
      const vapid = { subject: 'mailto:alerts@example.com', ...webPush.generateVAPIDKeys() };
      const subscriptions = createMemoryPushSubscriptions();
      const browser = createSubscriptionKeys();
      await subscriptions.add('u1', { endpoint: `${push.url}/live/1`, keys: browser.keys });
      await subscriptions.add('u1', { endpoint: `${push.url}/gone/2`, keys: createSubscriptionKeys().keys });
      const channel = createWebPushChannel({ subscriptions, vapid });
      expect(await channel.reaches(message.recipient)).toBe(true);
      await channel.deliver(message);
      const live = push.requests.find((r) => r.url === '/live/1');
      expect(live?.headers['content-encoding']).toBe('aes128gcm');
      expect(live?.headers.ttl).toBe('86400');
      expect(verifyVapid(live?.headers.authorization, push.url, vapid.publicKey)).toBe(true);
      expect(JSON.parse(decryptPushPayload(live?.body ?? Buffer.alloc(0), browser))).toEqual({
        id: 'fk_key1',
        type: notification.type,
        title: notification.title,
        body: notification.body,
        data: notification.data,
      });
      expect((await subscriptions.list('u1')).map((s) => s.endpoint)).toEqual([`${push.url}/live/1`]);

      await subscriptions.remove('u1', `${push.url}/live/1`);
      await subscriptions.add('u1', { endpoint: `${push.url}/gone/3`, keys: browser.keys });
      const gone = await channel.deliver(message).catch((e: unknown) => e);
      expect(isPermanentFailure(gone)).toBe(true);
      expect(await subscriptions.list('u1')).toEqual([]);
      expect(await channel.reaches(message.recipient)).toBe(false);
    } finally {
      await push.close();
    }
  });
});

describe('webhook channel and verifyWebhookSignature', () => {
  it('signs timestamp.body; the receiver verifies it and rejects tampered or stale ones', async () => {
    const secret = 'whsec_test';
    const receiver = await startHttpServer((request, response) => {
      try {
        verifyWebhookSignature(
          secret,
          request.headers['finkit-signature'] as string,
          request.body.toString('utf8'),
        );
        json(response, 200, { ok: true });
      } catch {
        json(response, 401, { error: 'bad signature' });
      }
    });
    try {
      await createWebhookChannel({ url: receiver.url, secret }).deliver(message);
      const [request] = receiver.requests;
      expect(request?.headers['idempotency-key']).toBe('fk_key1');
      const raw = request?.body.toString('utf8') ?? '';
      expect(JSON.parse(raw)).toMatchObject({
        id: 'fk_key1',
        type: notification.type,
        dedupeKey: notification.dedupeKey,
      });
      const header = String(request?.headers['finkit-signature']);
      expect(verifyWebhookSignature(secret, header, raw).timestamp).toBeGreaterThan(0);
      expect(() => verifyWebhookSignature(secret, header, raw.replace('50', '51'))).toThrow(
        /signature mismatch/,
      );
      expect(() => verifyWebhookSignature('other', header, raw)).toThrow(/signature mismatch/);
      const old = signWebhook(secret, raw, new Date(Date.now() - 600_000));
      expect(() => verifyWebhookSignature(secret, old, raw)).toThrow(/tolerance/);
      expect(verifyWebhookSignature(secret, old, raw, { toleranceSec: 900 }).timestamp).toBeGreaterThan(0);
      expect(() => verifyWebhookSignature(secret, 'garbage', raw)).toThrow(/malformed/);

      const wrongSecret = await createWebhookChannel({ url: receiver.url, secret: 'nope' })
        .deliver(message)
        .catch((e: unknown) => e);
      expect(wrongSecret).toMatchObject({ code: 'PROVIDER', details: { status: 401, permanent: true } });
    } finally {
      await receiver.close();
    }
  });
});

describe('webhook channel failures', () => {
  it('maps 429 + Retry-After, 503, other 4xx, a timeout and a refused connection to retryable or permanent', async () => {
    let answer = (_response: import('node:http').ServerResponse): void => {};
    const receiver = await startHttpServer((_request, response) => answer(response));
    const channel = createWebhookChannel({ url: receiver.url, secret: 's', timeoutMs: 200 });
    const failure = () => channel.deliver(message).catch((e: unknown) => e);
    try {
      answer = (response) => {
        response.writeHead(429, { 'retry-after': '7' });
        response.end('slow down');
      };
      expect(await failure()).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7000 });
      answer = (response) => json(response, 503, { error: 'busy' });
      expect(isPermanentFailure(await failure())).toBe(false);
      answer = (response) => json(response, 410, { error: 'gone' });
      expect(await failure()).toMatchObject({ details: { status: 410, permanent: true } });
      answer = () => {};
      expect(await failure()).toMatchObject({ code: 'PROVIDER', details: { permanent: false } });
    } finally {
      await channel.close();
      await receiver.close();
    }
    const refused = await createWebhookChannel({ url: receiver.url, secret: 's' })
      .deliver(message)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'PROVIDER', details: { permanent: false } });
  });
});
