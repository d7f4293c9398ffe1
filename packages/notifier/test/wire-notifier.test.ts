import {
  type BankProvider,
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  type FinkitEvent,
  generateTokenKey,
} from '@finkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookChannel } from '../src/channels/create-webhook-channel.js';
import { createNotifier } from '../src/create-notifier.js';
import { verifyWebhookSignature } from '../src/webhook-signature.js';
import { wireNotifier } from '../src/wire-notifier.js';
import { startHttpServer } from './http-test-server.js';

// No bank is involved: the data is written through the store as a sync would, and every
// provider call fails the test.
const noBank = new Proxy({ id: 'none', capabilities: { webhooks: false } } as BankProvider, {
  get: (target, key) =>
    key in target
      ? target[key as keyof BankProvider]
      : () => {
          throw new Error(`unexpected provider call ${String(key)}`);
        },
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('wireNotifier', () => {
  it('turns a crossed budget threshold into one in-app and one signed webhook notification', async () => {
    const receiver = await startHttpServer((_request, response) => {
      response.statusCode = 200;
      response.end('{}');
    });
    closers.push(receiver.close);
    const store = createMemoryStore();
    const finkit = createFinkit({
      store,
      provider: noBank,
      cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
      clock: { now: () => new Date('2024-03-20T12:00:00Z') },
    });
    const secret = 'whsec-test';
    const notifier = createNotifier({
      store,
      events: finkit.context.events,
      channels: { webhook: createWebhookChannel({ url: `${receiver.url}/hooks`, secret }) },
      holdCheckMs: 0,
    });
    const wiring = wireNotifier(finkit, notifier);
    closers.push(async () => {
      wiring.stop();
      await notifier.close();
      await finkit.close();
    });
    const created: FinkitEvent<'notification.created'>[] = [];
    finkit.events.subscribe('notification.created', (event) => created.push(event));

    const connection = await store.connections.create({
      userId: 'ann',
      provider: 'none',
      providerItemId: 'item',
      institutionId: null,
      institutionName: null,
      encryptedAccessToken: 'x',
    });
    const budget = await finkit.budgets.create('ann', {
      name: 'Groceries',
      amount: 20_000,
      currency: 'USD',
      startDate: '2024-01-01',
      categoryIds: ['food_and_dining'],
      thresholds: [100],
    });
    const { added } = await store.applySyncBatch({
      userId: 'ann',
      connectionId: connection.id,
      nextCursor: 'c1',
      accounts: [
        {
          providerAccountId: 'acc',
          name: 'Checking',
          officialName: null,
          type: 'depository',
          subtype: 'checking',
          mask: null,
          currency: 'USD',
          balances: { current: 0, available: 0, limit: null, currency: 'USD', asOf: new Date('2024-03-20') },
        },
      ],
      upserts: [
        {
          providerTransactionId: 't1',
          providerAccountId: 'acc',
          pendingTransactionId: null,
          date: '2024-03-18',
          authorizedDate: null,
          amount: -25_050,
          currency: 'USD',
          description: 'WHOLE FOODS MARKET',
          merchantName: 'Whole Foods',
          pending: false,
          providerCategory: null,
          categoryId: 'shopping',
          categoryConfidence: 0.5,
          categoryExplanation: 'test',
          tags: [],
          hidden: false,
          sources: { categoryId: 'provider' },
        },
      ],
      removed: [],
      syncedAt: new Date('2024-03-20T12:00:00Z'),
    });
    // The user moves it into the budget's category: 250.50 of 200.00.
    await finkit.transactions.edit('ann', added[0]!, { categoryId: 'food_and_dining' });
    await finkit.idle();
    await wiring.idle();
    await notifier.idle();
    // And back out and in again: the threshold was already crossed this period.
    await finkit.transactions.edit('ann', added[0]!, { categoryId: 'shopping' });
    await finkit.transactions.edit('ann', added[0]!, { categoryId: 'food_and_dining' });
    await finkit.idle();
    await wiring.idle();
    await notifier.idle();

    const stored = await store.notifications.list('ann');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'budget.threshold_crossed', data: { budgetId: budget.id } });
    expect(stored[0]?.body).toContain('$250.50');
    expect(created.map((e) => e.data.type)).toEqual(['budget.threshold_crossed']);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const raw = request!.body.toString('utf8');
    expect(() =>
      verifyWebhookSignature(secret, request!.headers['finkit-signature'] as string, raw),
    ).not.toThrow();
    expect(JSON.parse(raw)).toMatchObject({ type: 'budget.threshold_crossed', userId: 'ann' });
  });
});
