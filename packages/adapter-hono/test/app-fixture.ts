import {
  type BankProvider,
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  type Embedder,
  type Finkit,
  FinkitError,
  generateTokenKey,
  type ProviderAccount,
  type Store,
  type SyncTransactionInput,
} from '@finkit/core';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { sign } from 'hono/jwt';
import { bearerJwtAuthenticate } from '../src/bearer-jwt-authenticate.js';
import { createFinkitApp, type FinkitAppOptions } from '../src/create-finkit-app.js';
import type { FinkitEnv } from '../src/finkit-env.js';

export const secret = 'test-secret-that-is-long-enough-for-hs256';

export async function tokenFor(userId: string): Promise<string> {
  return sign({ sub: userId, exp: Math.floor(Date.now() / 1000) + 3600 }, secret, 'HS256');
}

/**
 * No bank in these tests: a provider call answers the PROVIDER error a failing bank would.
 * Routes that reach the provider are exercised against the Plaid sandbox in plaid-routes.test.ts.
 */
export const unreachableProvider: BankProvider = new Proxy(
  { id: 'none', capabilities: { webhooks: false } } as BankProvider,
  {
    get(target, key) {
      if (key in target) return target[key as keyof BankProvider];
      // Without a bank there is no key to check a signature with: every webhook is refused.
      if (key === 'verifyWebhook') {
        return async () => {
          throw new FinkitError('WEBHOOK_VERIFICATION', 'no bank in this test verifies webhooks');
        };
      }
      return async () => {
        throw new FinkitError('PROVIDER', `no bank in this test (${String(key)})`);
      };
    },
  },
);

/** A real, tiny embedder: letter-trigram counts hashed into 64 dimensions, L2-normalised. */
export const trigramEmbedder: Embedder = {
  id: 'trigram-64',
  dimensions: 64,
  async embed(texts) {
    return texts.map((text) => {
      const v = new Float32Array(64);
      const s = ` ${text.toLowerCase()} `;
      for (let i = 0; i + 3 <= s.length; i++) {
        let h = 0;
        for (const ch of s.slice(i, i + 3)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
        v[h % 64] = (v[h % 64] ?? 0) + 1;
      }
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
  },
};

export function account(providerAccountId: string, currency = 'USD'): ProviderAccount {
  return {
    providerAccountId,
    name: `Account ${providerAccountId}`,
    officialName: null,
    type: 'depository',
    subtype: 'checking',
    mask: '0000',
    currency,
    balances: {
      current: 100_000,
      available: 100_000,
      limit: null,
      currency,
      asOf: new Date('2024-03-04T00:00:00Z'),
    },
  };
}

export function row(
  providerTransactionId: string,
  providerAccountId: string,
  overrides: Partial<SyncTransactionInput> = {},
): SyncTransactionInput {
  return {
    providerTransactionId,
    providerAccountId,
    pendingTransactionId: null,
    date: '2024-03-01',
    authorizedDate: null,
    amount: -1000,
    currency: 'USD',
    description: `PURCHASE ${providerTransactionId}`,
    merchantName: null,
    pending: false,
    providerCategory: null,
    categoryId: 'shopping',
    categoryConfidence: 0.5,
    categoryExplanation: 'provider',
    tags: [],
    hidden: false,
    sources: { categoryId: 'provider' },
    ...overrides,
  };
}

export interface Seeded {
  connectionId: string;
  accountId: string;
  transactionIds: string[];
  budgetId: string;
  goalId: string;
  ruleId: string;
  categoryId: string;
  /** An in-app notification of the user's, unread. */
  notificationId: string;
}

/**
 * A user with one connection, one account, transactions, a budget, a goal, a rule, a category and
 * an unread notification.
 */
export async function seedUser(finkit: Finkit, store: Store, userId: string): Promise<Seeded> {
  const connection = await store.connections.create({
    userId,
    provider: 'none',
    providerItemId: `item-${userId}`,
    institutionId: null,
    institutionName: 'Test Bank',
    encryptedAccessToken: await finkit.context.cipher.encrypt(`access-sandbox-${userId}-secret`),
  });
  const upserts = [
    row(`${userId}-t1`, `acc-${userId}`, {
      amount: -450,
      description: 'SQ *BLUE BOTTLE COFFEE',
      date: '2024-03-02',
    }),
    row(`${userId}-t2`, `acc-${userId}`, {
      amount: -12_000,
      description: 'SAFEWAY #123',
      date: '2024-03-03',
    }),
    row(`${userId}-t3`, `acc-${userId}`, {
      amount: 250_000,
      description: 'ACME PAYROLL',
      date: '2024-03-01',
      categoryId: 'income',
    }),
    row(`${userId}-t4`, `acc-${userId}`, {
      amount: -1999,
      description: '=HYPERLINK("http://evil")',
      date: '2024-02-20',
    }),
  ];
  const result = await store.applySyncBatch({
    userId,
    connectionId: connection.id,
    nextCursor: 'c1',
    accounts: [account(`acc-${userId}`)],
    upserts,
    removed: [],
    syncedAt: new Date('2024-03-04T00:00:00Z'),
  });
  const vectors = await trigramEmbedder.embed(upserts.map((u) => u.description));
  await store.transactions.setEmbeddings(
    userId,
    result.added.map((transactionId, i) => ({
      transactionId,
      model: trigramEmbedder.id,
      vector: vectors[i]!,
    })),
  );
  const [acc] = await store.accounts.list(userId);
  const budget = await finkit.budgets.create(userId, {
    name: 'Groceries',
    amount: 40_000,
    currency: 'USD',
    startDate: '2024-01-01',
    categoryIds: ['shopping'],
  });
  const goal = await finkit.goals.create(userId, { name: 'Trip', targetAmount: 300_000, currency: 'USD' });
  const rule = await finkit.rules.create(userId, {
    name: 'Coffee',
    conditions: [{ field: 'description', op: 'contains', value: 'coffee' }],
    actions: { categoryId: 'food_and_dining' },
  });
  const category = await finkit.categories.create(userId, { name: `Pets of ${userId}` });
  const { notification } = await store.notifications.create(userId, {
    type: 'budget.threshold_crossed',
    dedupeKey: `budget:${budget.id}:80`,
    title: `Groceries of ${userId} at 80%`,
    body: 'You have spent 80% of your budget.',
    data: { budgetId: budget.id },
  });
  return {
    connectionId: connection.id,
    accountId: acc!.id,
    transactionIds: result.added,
    budgetId: budget.id,
    goalId: goal.id,
    ruleId: rule.id,
    categoryId: category.id,
    notificationId: notification.id,
  };
}

export interface Harness {
  finkit: Finkit;
  store: Store;
  app: OpenAPIHono<FinkitEnv>;
  alice: Seeded;
  bob: Seeded;
  aliceToken: string;
  bobToken: string;
  /** `app.request` with alice's token and JSON. */
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<Response>;
}

export async function createHarness(
  options: { embedder?: Embedder | null; app?: Partial<FinkitAppOptions> } = {},
): Promise<Harness> {
  const store = createMemoryStore();
  const kid = 'k1';
  const finkit = createFinkit({
    store,
    provider: unreachableProvider,
    cipher: createTokenCipher({ keys: { [kid]: generateTokenKey() }, primaryKeyId: kid }),
    sync: { retry: { maxRetries: 0 } },
    ...(options.embedder === null ? {} : { embedder: options.embedder ?? trigramEmbedder }),
  });
  const app = createFinkitApp(finkit, { authenticate: bearerJwtAuthenticate({ secret }), ...options.app });
  const alice = await seedUser(finkit, store, 'alice');
  const bob = await seedUser(finkit, store, 'bob');
  const aliceToken = await tokenFor('alice');
  const bobToken = await tokenFor('bob');
  const call: Harness['call'] = (method, path, body, token = aliceToken) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return Promise.resolve(
      app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }),
    );
  };
  return { finkit, store, app, alice, bob, aliceToken, bobToken, call };
}
