import { randomUUID } from 'node:crypto';
import type { ProviderAccount, Store, SyncBatch, SyncTransactionInput } from '@finkit/core';

export const syncedAt = new Date(Date.UTC(2024, 5, 1));

export function account(providerAccountId: string): ProviderAccount {
  return {
    providerAccountId,
    name: `Account ${providerAccountId}`,
    officialName: null,
    type: 'depository',
    subtype: 'checking',
    mask: '0000',
    currency: 'USD',
    balances: { current: 100_000, available: 100_000, limit: null, currency: 'USD', asOf: syncedAt },
  };
}

export function transaction(
  providerTransactionId: string,
  overrides: Partial<SyncTransactionInput> = {},
): SyncTransactionInput {
  return {
    providerTransactionId,
    providerAccountId: 'acc-1',
    pendingTransactionId: null,
    date: '2024-05-01',
    authorizedDate: null,
    amount: -1_250,
    currency: 'USD',
    description: `PURCHASE ${providerTransactionId}`,
    merchantName: null,
    pending: false,
    providerCategory: null,
    categoryId: 'uncategorized',
    categoryConfidence: 0,
    categoryExplanation: 'none',
    tags: [],
    hidden: false,
    sources: {},
    ...overrides,
  };
}

/** A fresh user with one connection and its account; `batch` fills in the rest. */
export async function seedConnection(store: Store) {
  const userId = `user-${randomUUID()}`;
  const connection = await store.connections.create({
    userId,
    provider: 'plaid',
    providerItemId: `item-${randomUUID()}`,
    institutionId: null,
    institutionName: null,
    encryptedAccessToken: 'sealed',
  });
  const batch = (upserts: SyncTransactionInput[], extra: Partial<SyncBatch> = {}): SyncBatch => ({
    userId,
    connectionId: connection.id,
    nextCursor: `cursor-${randomUUID()}`,
    accounts: [account('acc-1')],
    upserts,
    removed: [],
    syncedAt,
    ...extra,
  });
  return { userId, connection, batch };
}
