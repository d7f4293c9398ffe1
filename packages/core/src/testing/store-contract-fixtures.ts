import { expect } from 'vitest';
import { FinkitError, type FinkitErrorCode } from '../errors/finkit-error.js';
import type { ProviderAccount } from '../ports/bank-provider.js';
import type { Clock } from '../ports/clock.js';
import type { Store, SyncBatch, SyncTransactionInput } from '../ports/store.js';
import type { Account } from '../schemas/account.js';
import type { NewBudget } from '../schemas/budget.js';
import type { Connection } from '../schemas/connection.js';
import type { Goal } from '../schemas/goal.js';
import type { Rule } from '../schemas/rule.js';
import type { Transaction } from '../schemas/transaction.js';
import type { RawReader } from './store-under-test.js';

/** What each part of the suite gets: the store (ready once tests run) and a way to register tests. */
export interface ContractHarness {
  readonly store: Store;
  readonly raw: RawReader | undefined;
  test(title: string, fn: () => Promise<void>): void;
}

export function createTickingClock(start = Date.UTC(2024, 5, 1, 12)): Clock {
  let at = start;
  return { now: () => new Date(at++) };
}

let counter = 0;
/** Ids unique within and across runs, so one store can serve every test without a reset. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 10)}`;
}

export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export const syncedAt = new Date(Date.UTC(2024, 5, 1, 0));

export function providerAccount(
  providerAccountId: string,
  currency = 'USD',
  current = 100_000,
): ProviderAccount {
  return {
    providerAccountId,
    name: `Account ${providerAccountId}`,
    officialName: null,
    type: 'depository',
    subtype: 'checking',
    mask: '0000',
    currency,
    balances: { current, available: current, limit: null, currency, asOf: syncedAt },
  };
}

export function syncTransaction(
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
    providerCategory: {
      primary: 'GENERAL_MERCHANDISE',
      detailed: 'GENERAL_MERCHANDISE_OTHER',
      confidenceLevel: null,
      version: 'v2',
    },
    categoryId: 'shopping',
    categoryConfidence: 0.5,
    categoryExplanation: 'Plaid: GENERAL_MERCHANDISE_OTHER',
    tags: [],
    hidden: false,
    sources: { categoryId: 'provider', merchantName: 'provider', tags: 'provider', hidden: 'provider' },
    ...overrides,
  };
}

export const seedAccounts = {
  checking: 'acc-checking',
  savings: 'acc-savings',
  euro: 'acc-euro',
} as const;

const sampleCategories = ['food_and_dining', 'shopping', 'transportation', 'income'] as const;
const sampleMerchants = ['Blue Bottle', 'Safeway', null] as const;

/**
 * The i-th seeded transaction: two per date going back from 2024-03-31, amounts of both signs,
 * four categories, three merchants (one missing), some tags, some pending, every 7th in EUR.
 */
export function sampleTransaction(i: number): SyncTransactionInput {
  const euro = i % 7 === 6;
  return syncTransaction(
    `tx-${String(i).padStart(4, '0')}`,
    euro ? seedAccounts.euro : i % 2 === 0 ? seedAccounts.checking : seedAccounts.savings,
    {
      date: addDays('2024-03-31', -Math.floor(i / 2)),
      amount: i % 4 === 3 ? 5_000 + i * 100 : -(1_000 + i * 37),
      currency: euro ? 'EUR' : 'USD',
      description: `CARD PURCHASE ${i} ${i % 3 === 0 ? 'COFFEE' : 'STORE'}`,
      merchantName: sampleMerchants[i % 3] ?? null,
      pending: i % 5 === 4,
      categoryId: sampleCategories[i % 4]!,
      tags: i % 3 === 1 ? ['work'] : i % 6 === 2 ? ['work', 'trip'] : [],
    },
  );
}

export interface SeededUser {
  userId: string;
  connection: Connection;
  accounts: Account[];
  inputs: SyncTransactionInput[];
  /** Stored rows by provider transaction id. */
  rows: Map<string, Transaction>;
  /** A batch for this user's connection with no changes; spread and override. */
  batch(overrides?: Partial<SyncBatch>): SyncBatch;
}

/** A user with one connection, three accounts (two USD, one EUR) and `count` transactions. */
export async function seedUser(store: Store, count = 20): Promise<SeededUser> {
  const userId = uniqueId('user');
  const connection = await store.connections.create({
    userId,
    provider: 'contract',
    providerItemId: uniqueId('item'),
    institutionId: 'ins_contract',
    institutionName: 'Contract Bank',
    encryptedAccessToken: 'v1:ciphertext',
  });
  const batch = (overrides: Partial<SyncBatch> = {}): SyncBatch => ({
    userId,
    connectionId: connection.id,
    nextCursor: uniqueId('cursor'),
    accounts: [],
    upserts: [],
    removed: [],
    syncedAt,
    ...overrides,
  });
  const inputs = Array.from({ length: count }, (_, i) => sampleTransaction(i));
  await store.applySyncBatch(
    batch({
      expectedCursor: null,
      nextCursor: 'cursor-seed',
      accounts: [
        providerAccount(seedAccounts.checking),
        providerAccount(seedAccounts.savings),
        providerAccount(seedAccounts.euro, 'EUR'),
      ],
      upserts: inputs,
    }),
  );
  const stored = await store.transactions.getByProviderIds(
    userId,
    connection.id,
    inputs.map((input) => input.providerTransactionId),
  );
  expect(stored, 'seed: getByProviderIds returns every seeded row').toHaveLength(count);
  const accounts = await store.accounts.list(userId, { connectionId: connection.id });
  const fresh = await store.connections.get(userId, connection.id);
  return {
    userId,
    connection: fresh ?? connection,
    accounts,
    inputs,
    rows: new Map(stored.map((row) => [row.providerTransactionId, row])),
    batch,
  };
}

/** Runs `call` and checks it rejects with a FinkitError of `code`. */
export async function expectFinkitError(
  call: () => Promise<unknown>,
  code: FinkitErrorCode,
  what: string,
): Promise<FinkitError> {
  let result: unknown;
  try {
    result = await call();
  } catch (error) {
    expect(FinkitError.isInstance(error), `${what}: expected FinkitError ${code}, got ${String(error)}`).toBe(
      true,
    );
    expect((error as FinkitError).code, `${what}: error code`).toBe(code);
    return error as FinkitError;
  }
  return expect.fail(`${what}: expected FinkitError ${code}, but it resolved with ${JSON.stringify(result)}`);
}

export interface ConnectionSnapshot {
  cursor: string | null | undefined;
  accountProviderIds: string[];
  rows: {
    providerTransactionId: string;
    amount: number;
    categoryId: string;
    notes: string | null;
    removed: boolean;
  }[];
}

/**
 * What is stored for a connection, read through the raw reader when there is one. Without it,
 * through the Store: `providerIds` names the transactions to look at.
 */
export async function readConnection(
  harness: ContractHarness,
  userId: string,
  connectionId: string,
  providerIds: readonly string[],
): Promise<ConnectionSnapshot> {
  const { raw, store } = harness;
  const byId = (a: { providerTransactionId: string }, b: { providerTransactionId: string }) =>
    a.providerTransactionId < b.providerTransactionId ? -1 : 1;
  if (raw !== undefined) {
    const rows = await raw.transactions(connectionId);
    return {
      cursor: await raw.connectionCursor(connectionId),
      accountProviderIds: (await raw.accountProviderIds(connectionId)).sort(),
      rows: rows
        .map(({ providerTransactionId, amount, categoryId, notes, removed }) => ({
          providerTransactionId,
          amount,
          categoryId,
          notes,
          removed,
        }))
        .sort(byId),
    };
  }
  const connection = await store.connections.get(userId, connectionId);
  const accounts = await store.accounts.list(userId, { connectionId, includeClosed: true });
  const rows = await store.transactions.getByProviderIds(userId, connectionId, providerIds);
  return {
    cursor: connection === null ? undefined : connection.cursor,
    accountProviderIds: accounts.map((account) => account.providerAccountId).sort(),
    rows: rows
      .map(({ providerTransactionId, amount, categoryId, notes, removedAt }) => ({
        providerTransactionId,
        amount,
        categoryId,
        notes,
        removed: removedAt !== null,
      }))
      .sort(byId),
  };
}

export function ruleInput(overrides: Partial<Omit<Rule, 'id' | 'userId' | 'createdAt' | 'updatedAt'>> = {}) {
  return {
    name: 'Coffee',
    enabled: true,
    stage: 'default' as const,
    priority: 0,
    match: 'all' as const,
    conditions: [
      { field: 'description' as const, op: 'contains' as const, value: 'coffee', caseSensitive: false },
    ],
    actions: { categoryId: 'food_and_dining' },
    ...overrides,
  };
}

export function budgetInput(overrides: Partial<Required<NewBudget>> = {}): Required<NewBudget> {
  return {
    name: 'Groceries',
    categoryIds: ['food_and_dining'],
    amount: 50_000,
    currency: 'USD',
    period: 'monthly',
    periodStartDay: 1,
    weekStartsOn: 1,
    timezone: 'UTC',
    startDate: '2024-01-01',
    endDate: null,
    rollover: false,
    thresholds: [50, 80, 100],
    includePending: true,
    ...overrides,
  };
}

export function goalInput(
  overrides: Partial<Omit<Goal, 'id' | 'userId' | 'createdAt' | 'updatedAt'>> = {},
): Omit<Goal, 'id' | 'userId' | 'createdAt' | 'updatedAt'> {
  return {
    name: 'Emergency fund',
    targetAmount: 1_000_000,
    currency: 'USD',
    targetDate: null,
    startingAmount: 0,
    linkedAccountId: null,
    annualYield: 0,
    ...overrides,
  };
}
