/*
 * Notifier throughput: 10,000 notifications through in-app and a signed webhook (a local HTTP
 * receiver), with and without a slow email channel in the mix (a SendGrid-shaped server that takes
 * 200 ms per mail, 4 at a time). Reports the fast channels' deliveries per second, the webhooks
 * received per second (the receiver shares this process and its CPU, so it bounds the channel)
 * and the p99 delay from `send()` to the receiver.
 * Then a restart: emails sent during quiet hours are held in the store (memory, and PGlite for the
 * SQL path), and a second notifier on the same store releases and delivers them once quiet hours end.
 * Run: npx tsx --conditions=source bench/notifier.ts [count]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createEmbeddedStore } from '@finkit/adapter-postgres';
import {
  type Clock,
  createMemoryEventBus,
  createMemoryStore,
  type Store,
} from '../packages/core/src/index.js';
import {
  createMemoryPreferences,
  createNotifier,
  createSendGridEmailChannel,
  createWebhookChannel,
} from '../packages/notifier/src/index.js';
import { printTable } from './print-table.js';

const count = Number(process.argv[2] ?? 10_000);

async function listen(
  handler: (body: string, done: () => void) => void,
): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () =>
      handler(body, () => {
        res.writeHead(req.url === '/v3/mail/send' ? 202 : 200);
        res.end();
      }),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

async function run(withSlow: boolean): Promise<Record<string, string | number>> {
  const sentAt = new Map<string, number>();
  const delays = { in_app: [] as number[], webhook: [] as number[] };
  let fastDone = 0;
  let resolveFast: () => void = () => {};
  const allFast = new Promise<void>((resolve) => (resolveFast = resolve));
  let lastWebhook = 0;
  const record = (channel: 'in_app' | 'webhook', key: string) => {
    if (channel === 'webhook') lastWebhook = performance.now();
    delays[channel].push(performance.now() - (sentAt.get(key) ?? 0));
    fastDone += 1;
    if (fastDone === count * 2) resolveFast();
  };
  const webhook = await listen((body, done) => {
    record('webhook', (JSON.parse(body) as { dedupeKey: string }).dedupeKey);
    done();
  });
  let slowDelivered = 0;
  const slow = await listen((_body, done) =>
    setTimeout(() => {
      slowDelivered += 1;
      done();
    }, 200),
  );
  const events = createMemoryEventBus();
  const store = createMemoryStore();
  events.subscribe('notification.created', (event) => {
    // The bench titles each notification with its dedupe key.
    record('in_app', event.data.title);
  });
  const notifier = createNotifier({
    store,
    events,
    preferences: createMemoryPreferences({
      email: 'bench@example.com',
      channels: { '*': withSlow ? ['in_app', 'webhook', 'email'] : ['in_app', 'webhook'] },
    }),
    channels: {
      webhook: createWebhookChannel({ url: webhook.url, secret: 'bench' }),
      email: createSendGridEmailChannel({ apiKey: 'k', from: { email: 'a@example.com' }, baseUrl: slow.url }),
    },
    limits: { email: { concurrency: 4 }, webhook: { concurrency: 16 }, in_app: { concurrency: 16 } },
    holdCheckMs: 0,
  });
  const started = performance.now();
  const sendTimes: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const key = `n-${i}`;
    const before = performance.now();
    sentAt.set(key, before);
    await notifier.send({
      userId: `user-${i % 100}`,
      type: 'bench',
      dedupeKey: key,
      title: key,
      body: 'x',
      data: {},
    });
    sendTimes.push(performance.now() - before);
  }
  await allFast;
  const elapsed = (performance.now() - started) / 1000;
  await notifier.close();
  webhook.close();
  slow.close();
  return {
    case: withSlow ? 'in-app + webhook + slow email' : 'in-app + webhook',
    notifications: count,
    'fast deliveries/s': Math.round((count * 2) / elapsed),
    'send() p99 ms': percentile(sendTimes, 99).toFixed(2),
    'in-app p99 ms': percentile(delays.in_app, 99).toFixed(1),
    'webhooks/s': Math.round(count / ((lastWebhook - started) / 1000)),
    'webhook p99 ms': percentile(delays.webhook, 99).toFixed(1),
    'slow emails sent meanwhile': withSlow ? slowDelivered : '-',
  };
}

async function restart(name: string, store: Store, held: number): Promise<Record<string, string | number>> {
  let received = 0;
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const mail = await listen((_body, done) => {
    received += 1;
    if (received === held) resolveAll();
    done();
  });
  let at = Date.UTC(2024, 6, 1, 21, 30); // 23:30 in Paris: quiet hours
  const clock: Clock = { now: () => new Date(at) };
  const notifierOn = () =>
    createNotifier({
      store,
      clock,
      preferences: createMemoryPreferences({
        email: 'bench@example.com',
        timeZone: 'Europe/Paris',
        channels: { '*': ['email'] },
        quietHours: { start: '22:00', end: '07:30' },
      }),
      channels: {
        email: createSendGridEmailChannel({
          apiKey: 'k',
          from: { email: 'a@example.com' },
          baseUrl: mail.url,
        }),
      },
      limits: { email: { concurrency: 16 } },
      holdCheckMs: 0,
    });
  const before = notifierOn();
  const holdStart = performance.now();
  for (let i = 0; i < held; i += 1) {
    await before.send({
      userId: `user-${i % 100}`,
      type: 'bench',
      dedupeKey: `h-${i}`,
      title: 'x',
      body: 'x',
      data: {},
    });
  }
  const holdSeconds = (performance.now() - holdStart) / 1000;
  await before.close();
  at = Date.UTC(2024, 6, 2, 6, 0); // 08:00: quiet hours over
  const after = notifierOn();
  const releaseStart = performance.now();
  const messages = await after.flushHeld();
  await all;
  const releaseSeconds = (performance.now() - releaseStart) / 1000;
  await after.idle();
  await after.close();
  mail.close();
  const left = (
    await Promise.all(
      Array.from({ length: 100 }, (_, u) => store.deliveries.list(`user-${u}`, { status: 'held' })),
    )
  ).flat().length;
  await store.close();
  return {
    store: name,
    'held during quiet hours': held,
    'send() held/s': Math.round(held / holdSeconds),
    'released by the new notifier': messages,
    'release → received/s': Math.round(held / releaseSeconds),
    'emails received': received,
    'still held': left,
  };
}

const rows = [await run(false), await run(true)];
printTable(`Notifier: ${count} notifications (memory store)`, rows);
const heldOnPglite = Math.min(count, 2000);
printTable('Notifier restart: quiet-hour emails held in the store, released by a new notifier', [
  await restart('memory', createMemoryStore(), count),
  await restart('PGlite (in memory)', await createEmbeddedStore(), heldOnPglite),
]);
