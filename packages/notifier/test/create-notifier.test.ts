import {
  type Clock,
  createMemoryEventBus,
  createMemoryStore,
  type FinkitEvent,
  type Store,
} from '@finkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSendGridEmailChannel } from '../src/channels/create-sendgrid-email-channel.js';
import { createWebhookChannel } from '../src/channels/create-webhook-channel.js';
import { createNotifier, type NotifierInput, type NotifierService } from '../src/create-notifier.js';
import { createMemoryPreferences } from '../src/preferences/create-memory-preferences.js';
import { verifyWebhookSignature } from '../src/webhook-signature.js';
import { json, startHttpServer } from './http-test-server.js';

const secret = 'whsec_notifier';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function manualClock(
  start = Date.UTC(2024, 6, 1, 12),
): Clock & { advance(ms: number): void; set(at: Date): void } {
  let at = start;
  return { now: () => new Date(at), advance: (ms) => (at += ms), set: (d) => (at = d.getTime()) };
}

/** An app's webhook receiver: verifies signatures and drops repeats by Idempotency-Key, as documented. */
async function startReceiver(answer: (n: number) => number = () => 200) {
  const processed = new Map<string, unknown>();
  let n = 0;
  const server = await startHttpServer((request, response) => {
    n += 1;
    const status = answer(n);
    if (status !== 200)
      return json(response, status, { error: 'nope' }, status === 503 ? { 'retry-after': '0' } : {});
    const raw = request.body.toString('utf8');
    verifyWebhookSignature(secret, request.headers['finkit-signature'] as string, raw);
    const key = request.headers['idempotency-key'] as string;
    if (!processed.has(key)) processed.set(key, JSON.parse(raw));
    json(response, 200, { ok: true });
  });
  cleanups.push(server.close);
  return { ...server, processed };
}

const note = (dedupeKey: string, extra: Partial<NotifierInput> = {}): NotifierInput => ({
  userId: 'u1',
  type: 'budget.threshold_crossed',
  dedupeKey,
  title: 'Groceries: 80% used',
  body: 'You have spent $400.00 of $500.00.',
  data: { budgetId: 'b1' },
  ...extra,
});

function notifierOn(
  store: Store,
  url: string,
  extra: Partial<Parameters<typeof createNotifier>[0]> = {},
): NotifierService {
  const notifier = createNotifier({
    store,
    channels: { webhook: createWebhookChannel({ url, secret }) },
    preferences: createMemoryPreferences({ channels: { '*': ['in_app', 'webhook'] } }),
    retry: { attempts: 3, baseMs: 5, maxMs: 20 },
    holdCheckMs: 0,
    onError: () => {},
    ...extra,
  });
  cleanups.push(() => notifier.close());
  return notifier;
}

describe('createNotifier', () => {
  it('sends a second digest on the same day under its own key, so a receiver that drops repeats keeps it', async () => {
    const receiver = await startReceiver();
    const store = createMemoryStore();
    const clock = manualClock(Date.UTC(2024, 6, 1, 6, 0)); // 06:00 UTC
    const preferences = createMemoryPreferences({ channels: { '*': ['webhook'] } });
    preferences.set('u1', { digest: { types: ['transaction.large'], at: '08:00' } });
    const notifier = notifierOn(store, receiver.url, { clock, preferences });
    await notifier.send(note('large-1', { type: 'transaction.large' }));
    clock.set(new Date(Date.UTC(2024, 6, 1, 8, 0)));
    expect(await notifier.flushHeld()).toBe(1);
    await notifier.idle();
    // The user moves the digest to the evening; a new item waits for it, the same day.
    preferences.set('u1', { digest: { types: ['transaction.large'], at: '20:00' } });
    await notifier.send(note('large-2', { type: 'transaction.large' }));
    clock.set(new Date(Date.UTC(2024, 6, 1, 20, 0)));
    expect(await notifier.flushHeld()).toBe(1);
    await notifier.idle();
    const digests = [...receiver.processed.values()] as { type: string; data: { items: string[] } }[];
    expect(digests.map((d) => [d.type, d.data.items])).toEqual([
      ['digest.daily', ['large-1']],
      ['digest.daily', ['large-2']],
    ]);
  });

  it('delivers once per dedupe key: in-app stored and published, webhook sent once', async () => {
    const receiver = await startReceiver();
    const store = createMemoryStore();
    const events = createMemoryEventBus();
    const published: FinkitEvent[] = [];
    events.subscribe('notification.created', (event) => published.push(event));
    const notifier = notifierOn(store, receiver.url, { events });
    const first = await notifier.send(note('k1'));
    expect(first).toEqual({ accepted: true, channels: ['in_app', 'webhook'] });
    expect(await notifier.send(note('k1')), 'in progress').toEqual({ accepted: false, channels: [] });
    await notifier.idle();
    expect(await notifier.send(note('k1')), 'delivered').toEqual({ accepted: false, channels: [] });
    await notifier.idle();
    expect(receiver.requests).toHaveLength(1);
    expect(await store.notifications.list('u1')).toHaveLength(1);
    expect(published.map((e) => e.data)).toEqual([
      expect.objectContaining({ type: 'budget.threshold_crossed', title: 'Groceries: 80% used' }),
    ]);
    expect((await store.deliveries.list('u1', { status: 'delivered' })).map((d) => d.channel).sort()).toEqual(
      ['in_app', 'webhook'],
    );
  });

  it('retries transient failures with backoff and records permanent ones', async () => {
    const flaky = await startReceiver((n) => (n <= 2 ? 503 : 200));
    const store = createMemoryStore();
    const notifier = notifierOn(store, flaky.url);
    await notifier.send(note('retry', { channels: ['webhook'] }));
    await notifier.idle();
    expect(flaky.requests).toHaveLength(3);
    expect(await store.deliveries.list('u1')).toMatchObject([{ status: 'delivered', attempts: 1 }]);

    const rejecting = await startReceiver(() => 400);
    const failing = notifierOn(store, rejecting.url);
    await failing.send(note('rejected', { channels: ['webhook'] }));
    const down = await startReceiver(() => 503);
    const exhausted = notifierOn(store, down.url);
    await exhausted.send(note('exhausted', { channels: ['webhook'] }));
    await Promise.all([failing.idle(), exhausted.idle()]);
    expect(rejecting.requests, 'a 400 is not retried').toHaveLength(1);
    expect(down.requests, 'attempts in all').toHaveLength(3);
    const failed = await store.deliveries.list('u1', { status: 'failed' });
    expect(failed.map((d) => [d.dedupeKey, d.lastError?.slice(0, 40)])).toEqual([
      ['exhausted', 'gave up after 3 attempts: Webhook receiv'],
      ['rejected', 'Webhook receiver answered 400: {"error":'],
    ]);
  });

  it('a slow channel never blocks the others or the caller', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const slowEmail = await startHttpServer(async (_request, response) => {
      await released;
      response.writeHead(202);
      response.end();
    });
    cleanups.push(slowEmail.close);
    const receiver = await startReceiver();
    const store = createMemoryStore();
    const preferences = createMemoryPreferences({
      email: 'ana@example.com',
      channels: { '*': ['email', 'webhook', 'in_app'] },
    });
    const notifier = notifierOn(store, receiver.url, {
      preferences,
      channels: {
        webhook: createWebhookChannel({ url: receiver.url, secret }),
        email: createSendGridEmailChannel({
          apiKey: 'k',
          from: { email: 'a@example.com' },
          baseUrl: slowEmail.url,
        }),
      },
      limits: { email: { concurrency: 1 } },
    });
    for (let i = 0; i < 5; i += 1) await notifier.send(note(`slow-${i}`));
    // Every webhook and in-app delivery completes while the first email is still hanging.
    while ((await store.deliveries.list('u1', { status: 'delivered' })).length < 10) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(receiver.processed.size).toBe(5);
    expect(slowEmail.requests).toHaveLength(1);
    expect(await store.deliveries.list('u1', { status: 'pending' })).toHaveLength(5);
    release();
    await notifier.idle();
    expect(slowEmail.requests).toHaveLength(5);
  });

  it('a burst of sends over an in-process store lets the webhook deliver during the burst, not after it', async () => {
    const receiver = await startReceiver();
    const notifier = notifierOn(createMemoryStore(), receiver.url);
    // With the memory store every await in send() settles as a microtask; without yielding, the
    // webhook's sockets would get no turn until the loop ended.
    for (let i = 0; i < 200; i += 1) await notifier.send(note(`burst-${i}`));
    expect(receiver.processed.size).toBeGreaterThan(0);
    await notifier.idle();
    expect(receiver.processed.size).toBe(200);
  });

  it('preferences: unsubscribed types, channels per type, quiet hours held until they end, daily digest', async () => {
    const receiver = await startReceiver();
    const store = createMemoryStore();
    const clock = manualClock(Date.UTC(2024, 6, 1, 21, 30)); // 23:30 in Paris
    const emails = await startHttpServer((_request, response) => {
      response.writeHead(202);
      response.end();
    });
    cleanups.push(emails.close);
    const preferences = createMemoryPreferences({ email: 'ana@example.com', timeZone: 'Europe/Paris' });
    preferences.set('u1', {
      channels: { '*': ['in_app', 'email'], 'goal.off_track': ['webhook'] },
      unsubscribed: ['summary.weekly'],
      quietHours: { start: '22:00', end: '07:30' },
      digest: { types: ['transaction.large'], at: '08:00' },
    });
    const notifier = notifierOn(store, receiver.url, {
      clock,
      preferences,
      channels: {
        webhook: createWebhookChannel({ url: receiver.url, secret }),
        email: createSendGridEmailChannel({
          apiKey: 'k',
          from: { email: 'a@example.com' },
          baseUrl: emails.url,
        }),
      },
    });
    expect(await notifier.send(note('weekly', { type: 'summary.weekly' }))).toEqual({
      accepted: false,
      channels: [],
    });
    expect((await notifier.send(note('off', { type: 'goal.off_track' }))).channels).toEqual(['webhook']);
    expect((await notifier.send(note('quiet'))).channels).toEqual(['in_app', 'email']);
    await notifier.send(note('large-1', { type: 'transaction.large', title: 'Large: $900.00' }));
    await notifier.send(note('large-2', { type: 'transaction.large', title: 'Large: $1,200.00' }));
    await notifier.idle();
    expect(receiver.processed.size, 'webhooks are not held').toBe(1);
    expect((await store.notifications.list('u1')).length, 'in-app is not held').toBe(3);
    expect(emails.requests, 'email waits for the end of quiet hours').toHaveLength(0);

    clock.set(new Date(Date.UTC(2024, 6, 2, 5, 29))); // 07:29 in Paris
    expect(await notifier.flushHeld()).toBe(0);
    clock.set(new Date(Date.UTC(2024, 6, 2, 5, 30))); // 07:30
    expect(await notifier.flushHeld()).toBe(1);
    await notifier.idle();
    expect(emails.requests.map((r) => JSON.parse(r.body.toString()).subject)).toEqual([
      'Groceries: 80% used',
    ]);

    clock.set(new Date(Date.UTC(2024, 6, 2, 6, 0))); // 08:00: the digest
    expect(await notifier.flushHeld()).toBe(1);
    await notifier.idle();
    const digest = JSON.parse(emails.requests[1]?.body.toString() ?? '{}');
    expect(digest.subject).toBe('Your daily summary: 2 updates');
    expect(digest.content[0].value).toContain('Large: $900.00');
    expect(digest.content[0].value).toContain('Large: $1,200.00');
    const largeEmails = (await store.deliveries.list('u1')).filter(
      (d) => d.dedupeKey.startsWith('large') && d.channel === 'email',
    );
    expect(largeEmails.map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('holds survive a restart: a new notifier on the same store sends them once when quiet hours and the digest end', async () => {
    const store = createMemoryStore();
    const clock = manualClock(Date.UTC(2024, 6, 1, 21, 30)); // 23:30 in Paris
    const emails = await startHttpServer((_request, response) => {
      response.writeHead(202);
      response.end();
    });
    cleanups.push(emails.close);
    const preferences = createMemoryPreferences({ email: 'ana@example.com', timeZone: 'Europe/Paris' });
    preferences.set('u1', {
      channels: { '*': ['email'] },
      quietHours: { start: '22:00', end: '07:30' },
      digest: { types: ['transaction.large'], at: '08:00' },
    });
    const start = () =>
      notifierOn(store, 'http://127.0.0.1:9', {
        clock,
        preferences,
        channels: {
          email: createSendGridEmailChannel({
            apiKey: 'k',
            from: { email: 'a@example.com' },
            baseUrl: emails.url,
          }),
        },
      });
    const before = start();
    expect((await before.send(note('quiet'))).channels).toEqual(['email']);
    await before.send(note('large-1', { type: 'transaction.large', title: 'Large: $900.00' }));
    await before.send(note('large-2', { type: 'transaction.large', title: 'Large: $1,200.00' }));
    await before.idle();
    expect(
      (await store.deliveries.list('u1', { status: 'held' })).map((d) => d.dedupeKey).sort(),
      'held in the store',
    ).toEqual(['large-1', 'large-2', 'quiet']);
    // The process goes away without close(): nothing of it is left but the store.
    await before.close();

    const after = start();
    expect(await after.send(note('quiet')), 'still held: not sent again').toEqual({
      accepted: false,
      channels: [],
    });
    clock.set(new Date(Date.UTC(2024, 6, 2, 5, 29))); // 07:29 in Paris
    expect(await after.flushHeld(), 'quiet hours not over').toBe(0);
    clock.set(new Date(Date.UTC(2024, 6, 2, 6, 0))); // 08:00: quiet hours over and digest time
    const racing = start();
    const released = await Promise.all([after.flushHeld(), racing.flushHeld()]);
    expect(
      released.reduce((a, b) => a + b, 0),
      'the quiet-hours email and one digest, once between two notifiers',
    ).toBe(2);
    await Promise.all([after.idle(), racing.idle()]);
    expect(emails.requests.map((r) => JSON.parse(r.body.toString()).subject).sort()).toEqual([
      'Groceries: 80% used',
      'Your daily summary: 2 updates',
    ]);
    expect(await start().flushHeld(), 'nothing left').toBe(0);
    expect(
      (await store.deliveries.list('u1')).map((d) => [d.dedupeKey, d.status, d.attempts, d.payload]).sort(),
    ).toEqual([
      ['large-1', 'delivered', 1, null],
      ['large-2', 'delivered', 1, null],
      ['quiet', 'delivered', 1, null],
    ]);
  });

  it('close() during a check gives back what the check took, so the next notifier sends it at once', async () => {
    const store = createMemoryStore();
    const clock = manualClock(Date.UTC(2024, 6, 1, 21, 30));
    const emails = await startHttpServer((_request, response) => {
      response.writeHead(202);
      response.end();
    });
    cleanups.push(emails.close);
    const preferences = createMemoryPreferences({ email: 'ana@example.com', channels: { '*': ['email'] } });
    preferences.set('u1', { quietHours: { start: '21:00', end: '07:00' } });
    const start = () =>
      notifierOn(store, 'http://127.0.0.1:9', {
        clock,
        preferences,
        channels: {
          email: createSendGridEmailChannel({
            apiKey: 'k',
            from: { email: 'a@example.com' },
            baseUrl: emails.url,
          }),
        },
      });
    const first = start();
    expect((await first.send(note('quiet'))).channels).toEqual(['email']);
    clock.set(new Date(Date.UTC(2024, 6, 2, 7, 0)));
    const checking = first.flushHeld();
    await first.close();
    await checking;
    const second = start();
    expect(await second.flushHeld(), 'released by close, not leased for leaseMs').toBe(1);
    await second.idle();
    expect(emails.requests).toHaveLength(1);
  });

  it('two notifiers with different channels over one store: each takes only its own due rows', async () => {
    const receiver = await startReceiver();
    const emails = await startHttpServer((_request, response) => {
      response.writeHead(202);
      response.end();
    });
    cleanups.push(emails.close);
    const store = createMemoryStore();
    const clock = manualClock(Date.UTC(2024, 6, 1, 6, 0));
    const preferences = createMemoryPreferences({
      email: 'ana@example.com',
      channels: { '*': ['email', 'webhook'] },
    });
    preferences.set('u1', { digest: { types: ['transaction.large'], at: '08:00' } });
    // An app process that sends email and a worker that sends webhooks only; the digest holds both.
    const mailer = notifierOn(store, 'http://127.0.0.1:9', {
      clock,
      preferences,
      channels: {
        email: createSendGridEmailChannel({
          apiKey: 'k',
          from: { email: 'a@example.com' },
          baseUrl: emails.url,
        }),
      },
    });
    const worker = notifierOn(store, receiver.url, { clock, preferences });
    const large = note('large-1', { type: 'transaction.large' });
    expect((await mailer.send(large)).channels).toEqual(['email']);
    expect((await worker.send(large)).channels).toEqual(['webhook']);

    clock.set(new Date(Date.UTC(2024, 6, 1, 8, 0)));
    expect(await worker.flushHeld(), 'the worker takes its webhook digest only').toBe(1);
    await worker.idle();
    expect(
      (await store.deliveries.list('u1', { status: 'held' })).map((d) => d.channel),
      'the email hold is left held for the mailer, not leased by a process that cannot send it',
    ).toEqual(['email']);
    expect(await mailer.flushHeld(), 'the mailer takes it at once, not after the lease').toBe(1);
    await mailer.idle();
    expect(receiver.processed.size).toBe(1);
    expect(emails.requests).toHaveLength(1);
  });

  it('a crash between sending and recording: after a restart the receiver still processes it exactly once', async () => {
    const receiver = await startReceiver();
    const store = createMemoryStore();
    const clock = manualClock();
    // The first process sends, then dies before its delivery record is written: the write never completes.
    const crashing: Store = {
      ...store,
      deliveries: { ...store.deliveries, markDelivered: () => new Promise<void>(() => {}) },
    };
    const first = createNotifier({
      store: crashing,
      channels: { webhook: createWebhookChannel({ url: receiver.url, secret }) },
      clock,
      leaseMs: 60_000,
      holdCheckMs: 0,
    });
    expect((await first.send(note('crash', { channels: ['webhook'] }))).accepted).toBe(true);
    while (receiver.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const restarted = notifierOn(store, receiver.url, { clock, leaseMs: 60_000 });
    expect(await restarted.send(note('crash', { channels: ['webhook'] })), 'lease still held').toEqual({
      accepted: false,
      channels: [],
    });
    clock.advance(60_000);
    expect((await restarted.send(note('crash', { channels: ['webhook'] }))).accepted, 'lease expired').toBe(
      true,
    );
    await restarted.idle();
    expect(receiver.requests, 'sent twice (at least once)').toHaveLength(2);
    expect(receiver.requests[0]?.headers['idempotency-key']).toBe(
      receiver.requests[1]?.headers['idempotency-key'],
    );
    expect(receiver.processed.size, 'processed once').toBe(1);
    expect(await store.deliveries.list('u1')).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    expect((await restarted.send(note('crash', { channels: ['webhook'] }))).accepted).toBe(false);
  });
});
