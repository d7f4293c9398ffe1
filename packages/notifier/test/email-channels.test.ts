import type { OutgoingNotification } from '@finkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendGridEmailChannel } from '../src/channels/create-sendgrid-email-channel.js';
import { createSmtpEmailChannel } from '../src/channels/create-smtp-email-channel.js';
import type { ChannelMessage } from '../src/channels/delivery-channel.js';
import { isPermanentFailure } from '../src/delivery-failure.js';
import { json, startHttpServer } from './http-test-server.js';
import { mimePart, startSmtpServer } from './start-smtp-server.js';

const notification: OutgoingNotification = {
  userId: 'u1',
  type: 'budget.threshold_crossed',
  dedupeKey: 'budget:b1:2024-06-01:80',
  title: 'Épicerie: 80 % du budget utilisé',
  body: 'Vous avez dépensé 400,00 € de votre budget de 500,00 €.',
  data: {},
};
const message = (email: string | null): ChannelMessage => ({
  notification,
  recipient: { userId: 'u1', email, phone: null, locale: 'fr-FR', timeZone: 'Europe/Paris' },
  html: '<h1>Épicerie</h1><p>400,00 €</p>',
  idempotencyKey: 'fk_abc123',
});

describe('SMTP email channel', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer({
      reject: (address) => (address.startsWith('nobody@') ? { code: 550, message: 'No such user' } : null),
    });
  });
  afterAll(() => smtp.close());

  it('delivers text and HTML bodies with the subject, recipient and a stable Message-ID', async () => {
    const channel = createSmtpEmailChannel({
      transport: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true },
      from: '"Finkit" <alerts@example.com>',
    });
    await channel.deliver(message('ana@example.com'));
    await channel.close();
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail?.from).toBe('alerts@example.com');
    expect(mail?.to).toEqual(['ana@example.com']);
    const raw = mail?.raw ?? '';
    expect(raw).toContain('Message-ID: <fk_abc123@finkit.local>');
    expect(raw).toMatch(/Subject: =\?UTF-8\?[QB]\?/);
    expect(raw).toContain('multipart/alternative');
    expect(mimePart(raw, 'text/plain')?.trim()).toBe(notification.body);
    expect(mimePart(raw, 'text/html')?.trim()).toBe('<h1>Épicerie</h1><p>400,00 €</p>');
  });

  it('reports a 5xx rejection as permanent and an unreachable server as transient', async () => {
    const channel = createSmtpEmailChannel({
      transport: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true },
      from: 'alerts@example.com',
    });
    const rejected = await channel.deliver(message('nobody@example.com')).catch((e: unknown) => e);
    expect(isPermanentFailure(rejected)).toBe(true);
    await channel.close();
    const down = createSmtpEmailChannel({
      transport: { host: '127.0.0.1', port: 1, ignoreTLS: true },
      from: 'a@example.com',
    });
    const refused = await down.deliver(message('ana@example.com')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(isPermanentFailure(refused)).toBe(false);
    await down.close();
  });
});

describe('SendGrid email channel', () => {
  let sendgrid: Awaited<ReturnType<typeof startHttpServer>>;
  let mode: 'ok' | 'limited' | 'bad' = 'ok';
  beforeAll(async () => {
    // SendGrid v3 mail/send: Bearer auth, JSON body; 202 with an empty body and X-Message-Id on
    // success, 401/400 with an `errors` array, 429 when rate limited.
    sendgrid = await startHttpServer((request, response) => {
      if (request.method !== 'POST' || request.url !== '/v3/mail/send')
        return json(response, 404, { errors: [] });
      if (request.headers.authorization !== 'Bearer SG.test-key') {
        return json(response, 401, {
          errors: [
            {
              message: 'The provided authorization grant is invalid, expired, or revoked',
              field: null,
              help: null,
            },
          ],
        });
      }
      if (mode === 'limited')
        return json(response, 429, { errors: [{ message: 'too many requests' }] }, { 'retry-after': '2' });
      if (mode === 'bad') {
        return json(response, 400, {
          errors: [
            {
              message: 'Does not contain a valid address.',
              field: 'personalizations.0.to.0.email',
              help: null,
            },
          ],
        });
      }
      response.writeHead(202, { 'x-message-id': 'sg-message-1' });
      response.end();
    });
  });
  afterAll(() => sendgrid.close());

  it('posts the mail-send JSON with both bodies and the idempotency key in custom_args', async () => {
    mode = 'ok';
    const channel = createSendGridEmailChannel({
      apiKey: 'SG.test-key',
      from: { email: 'alerts@example.com', name: 'Finkit' },
      baseUrl: sendgrid.url,
    });
    await channel.deliver(message('ana@example.com'));
    const request = sendgrid.requests.at(-1);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body.toString('utf8') ?? '{}')).toEqual({
      personalizations: [{ to: [{ email: 'ana@example.com' }] }],
      from: { email: 'alerts@example.com', name: 'Finkit' },
      subject: notification.title,
      content: [
        { type: 'text/plain', value: notification.body },
        { type: 'text/html', value: '<h1>Épicerie</h1><p>400,00 €</p>' },
      ],
      custom_args: { finkit_idempotency_key: 'fk_abc123', finkit_type: 'budget.threshold_crossed' },
    });
  });

  it('maps 429 to RATE_LIMITED with Retry-After, 400 and 401 to permanent failures', async () => {
    const channel = createSendGridEmailChannel({
      apiKey: 'SG.test-key',
      from: { email: 'alerts@example.com' },
      baseUrl: sendgrid.url,
    });
    mode = 'limited';
    const limited = await channel.deliver(message('ana@example.com')).catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 2000 });
    expect(isPermanentFailure(limited)).toBe(false);
    mode = 'bad';
    const bad = await channel.deliver(message('ana@example.com')).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'PROVIDER', details: { status: 400, permanent: true } });
    const wrongKey = createSendGridEmailChannel({
      apiKey: 'SG.wrong',
      from: { email: 'a@example.com' },
      baseUrl: sendgrid.url,
    });
    const unauthorized = await wrongKey.deliver(message('ana@example.com')).catch((e: unknown) => e);
    expect((unauthorized as Error).message).toContain('authorization grant is invalid');
    expect(isPermanentFailure(unauthorized)).toBe(true);
  });
});
