import { describe, expect, it } from 'vitest';
import type { ProviderTransaction, SyncPage } from '../ports/bank-provider.js';
import { reduceSyncPages } from './reduce-sync-pages.js';

const txn = (id: string, amount: number, extra: Partial<ProviderTransaction> = {}): ProviderTransaction => ({
  providerTransactionId: id,
  providerAccountId: 'acc-1',
  pendingTransactionId: null,
  date: '2024-03-01',
  authorizedDate: null,
  amount,
  currency: 'USD',
  description: `TXN ${id}`,
  merchantName: null,
  pending: false,
  providerCategory: null,
  ...extra,
});

const page = (p: Partial<SyncPage>): SyncPage => ({
  added: [],
  modified: [],
  removed: [],
  nextCursor: 'c',
  hasMore: false,
  accounts: [],
  ...p,
});

describe('reduceSyncPages', () => {
  it('keeps the latest data of a transaction modified on a later page', () => {
    const out = reduceSyncPages([
      page({ added: [txn('a', -100), txn('b', -200)] }),
      page({ modified: [txn('a', -150)] }),
    ]);
    expect(out.upserts.map((t) => [t.providerTransactionId, t.amount])).toEqual([
      ['a', -150],
      ['b', -200],
    ]);
    expect(out.removed).toEqual([]);
  });

  it('turns added-then-removed into a removal only', () => {
    const out = reduceSyncPages([
      page({ added: [txn('a', -100)] }),
      page({ removed: [{ providerTransactionId: 'a', providerAccountId: 'acc-1' }] }),
    ]);
    expect(out.upserts).toEqual([]);
    expect(out.removed).toEqual(['a']);
  });

  it('keeps the pending removal and the posted addition when they arrive on different pages', () => {
    const out = reduceSyncPages([
      page({ added: [txn('posted', -500, { pendingTransactionId: 'pend' })] }),
      page({ removed: [{ providerTransactionId: 'pend', providerAccountId: null }] }),
    ]);
    expect(out.upserts.map((t) => [t.providerTransactionId, t.pendingTransactionId])).toEqual([
      ['posted', 'pend'],
    ]);
    expect(out.removed).toEqual(['pend']);
  });

  it('applies removals after additions within one page', () => {
    const out = reduceSyncPages([
      page({ added: [txn('a', -1)], removed: [{ providerTransactionId: 'a', providerAccountId: null }] }),
    ]);
    expect(out.upserts).toEqual([]);
    expect(out.removed).toEqual(['a']);
  });

  it('keeps the last report of each account', () => {
    const account = (current: number) => ({
      providerAccountId: 'acc-1',
      name: 'Checking',
      officialName: null,
      type: 'depository' as const,
      subtype: 'checking',
      mask: '0000',
      currency: 'USD',
      balances: { current, available: null, limit: null, currency: 'USD', asOf: new Date(0) },
    });
    const out = reduceSyncPages([page({ accounts: [account(1)] }), page({ accounts: [account(2)] })]);
    expect(out.accounts.map((a) => a.balances.current)).toEqual([2]);
  });
});
