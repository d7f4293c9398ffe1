import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FinkitEvent, Store } from '@finkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore, createPostgresStore } from '../../adapter-postgres/src/index.js';
import { createTestSchema, onServer, serverUrl } from '../../adapter-postgres/test/test-databases.js';
import { verifyWebhookSignature } from '../src/webhook-signature.js';
import { crashKeys, crashSecret, crashUser } from './crash-scenario.js';
import { json, type ReceivedRequest, startHttpServer } from './http-test-server.js';

const worker = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Resolves once `ready()` holds, re-checked whenever `poke` is called. */
function condition(ready: () => boolean): { reached: Promise<void>; poke(): void } {
  let resolve: () => void = () => {};
  const reached = new Promise<void>((r) => (resolve = r));
  const poke = () => {
    if (ready()) resolve();
  };
  return { reached, poke };
}

/**
 * The receiving side, in this process: a webhook endpoint and a SendGrid-shaped mail API over HTTP,
 * and the in-app subscriber over the children's IPC channel. While `holding`, webhooks get no
 * answer: the receiver has the message, the sender never learns it arrived.
 */
async function startReceivers() {
  let holding = true;
  const webhooks: ReceivedRequest[] = [];
  const emails: ReceivedRequest[] = [];
  const inApp: FinkitEvent[] = [];
  const processed = new Set<string>();
  const everyone = new Set<() => void>();
  const poke = () => {
    for (const check of everyone) check();
  };
  const server = await startHttpServer((request, response) => {
    if (request.url === '/v3/mail/send') {
      emails.push(request);
      response.writeHead(202).end();
    } else {
      const raw = request.body.toString('utf8');
      verifyWebhookSignature(crashSecret, request.headers['finkit-signature'] as string, raw);
      webhooks.push(request);
      // What the guide tells receivers to do: act once per Idempotency-Key.
      processed.add(request.headers['idempotency-key'] as string);
      if (!holding) json(response, 200, { ok: true });
    }
    poke();
  });
  cleanups.push(server.close);
  return {
    url: server.url,
    webhooks,
    emails,
    inApp,
    processed,
    poke,
    answer() {
      holding = false;
    },
    onEvent(message: unknown) {
      inApp.push((message as { event: FinkitEvent }).event);
      poke();
    },
    when(ready: () => boolean) {
      const c = condition(ready);
      everyone.add(c.poke);
      c.poke();
      return c.reached.finally(() => everyone.delete(c.poke));
    },
  };
}

type Receivers = Awaited<ReturnType<typeof startReceivers>>;

function startWorker(phase: 'send' | 'resume', receivers: Receivers, storeArgs: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', worker, phase, receivers.url, ...storeArgs],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  child.on('message', (message) => receivers.onEvent(message));
  return child;
}

const bodyOf = (request: ReceivedRequest) =>
  JSON.parse(request.body.toString('utf8')) as { dedupeKey: string; subject?: string };

const byKey = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/**
 * Kill the sender between send and record, restart: the first child sends and is SIGKILLed once
 * every receiver has its messages and none has answered; the second resumes from the store alone.
 */
async function crashAndResume(storeArgs: string[], openStore: () => Promise<Store>) {
  const receivers = await startReceivers();
  const first = startWorker('send', receivers, storeArgs);
  const exited = once(first, 'exit');
  let stdout = '';
  first.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    receivers.poke();
  });
  await receivers.when(
    () =>
      stdout.includes('sent\n') &&
      receivers.webhooks.length === crashKeys.length &&
      receivers.inApp.length === crashKeys.length,
  );
  first.kill('SIGKILL');
  const [, signal] = await exited;
  expect(signal, 'killed, not exited').toBe('SIGKILL');
  expect(receivers.emails, 'email waits for the end of quiet hours').toHaveLength(0);

  receivers.answer();
  const second = startWorker('resume', receivers, storeArgs);
  let resumed = '';
  second.stdout?.on('data', (chunk: Buffer) => (resumed += chunk.toString('utf8')));
  const [code] = await once(second, 'exit');
  expect(resumed.trim(), 'the second process left nothing unsent').toBe('resumed, 0 left');
  expect(code).toBe(0);

  // Webhooks cannot be taken back: each was sent twice, with the same Idempotency-Key both times,
  // so the receiver acted once per notification.
  const webhooks = byKey(receivers.webhooks, (r) => bodyOf(r).dedupeKey);
  expect([...webhooks.keys()].sort(), 'webhooks per dedupe key').toEqual(crashKeys);
  for (const [key, requests] of webhooks) {
    expect(requests, `${key}: sent before the crash and resent after`).toHaveLength(2);
    expect(
      new Set(requests.map((r) => r.headers['idempotency-key'])).size,
      `${key}: one idempotency key`,
    ).toBe(1);
  }
  expect(receivers.processed.size, 'the receiver acted once per notification').toBe(crashKeys.length);

  // Email was held in the store through the crash and went out once, after quiet hours.
  expect(receivers.emails.map((r) => bodyOf(r).subject).sort(), 'one email per notification').toEqual(
    crashKeys.map((k) => `Alert ${k}`),
  );

  // In-app: the stored notification is written once per key; the event was published again after the
  // restart, carrying the same stored id so a client drops the repeat.
  const events = byKey(receivers.inApp, (e) => (e.data as { title: string }).title);
  for (const [title, published] of events) {
    expect(published, `${title}: published before and after`).toHaveLength(2);
    expect(new Set(published.map((e) => (e.data as { notificationId: string }).notificationId)).size).toBe(1);
  }
  const store = await openStore();
  try {
    const stored = await store.notifications.list(crashUser);
    expect(stored.map((n) => n.dedupeKey).sort(), 'one in-app notification per key').toEqual(crashKeys);
    const deliveries = await store.deliveries.list(crashUser);
    expect(
      deliveries.map((d) => [d.dedupeKey, d.channel, d.status, d.attempts]).sort(),
      'every delivery recorded once; resumed ones count the second attempt',
    ).toEqual(
      crashKeys.flatMap((k) => [
        [k, 'email', 'delivered', 1],
        [k, 'in_app', 'delivered', 2],
        [k, 'webhook', 'delivered', 2],
      ]),
    );
  } finally {
    await store.close();
  }
}

describe('a notifier killed between send and record', () => {
  it('on PGlite on disk: a restarted process resumes, each notification reaches its receiver once (webhooks: same idempotency key)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'finkit-notifier-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    await crashAndResume(['pglite', dataDir], () => createEmbeddedStore({ dataDir }));
  }, 180_000);

  it.skipIf(!serverUrl)(
    onServer('on PostgreSQL'),
    async () => {
      const schema = await createTestSchema(serverUrl!);
      cleanups.push(schema.drop);
      await crashAndResume(['postgres', serverUrl!, schema.schema], () =>
        createPostgresStore({ db: schema.pool }),
      );
    },
    180_000,
  );
});
