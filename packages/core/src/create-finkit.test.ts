import { describe, expect, it } from 'vitest';
import { createFinkit, type Finkit } from './create-finkit.js';
import { createTokenCipher } from './crypto/create-token-cipher.js';
import { generateTokenKey } from './crypto/generate-token-key.js';
import { FinkitError } from './errors/finkit-error.js';
import { createMemoryStore } from './memory/memory-store.js';
import type { BankProvider } from './ports/bank-provider.js';
import type { Store } from './ports/store.js';
import type { FinkitEvent } from './schemas/event.js';
import { providerAccount, syncTransaction } from './testing/store-contract-fixtures.js';

// These tests cover the facade's own logic (validation, scoping, events). Nothing here talks to
// a bank, so every provider call is a test failure; the sync path is tested against the Plaid
// sandbox in @finkit/plaid.
const noProvider: BankProvider = new Proxy(
  { id: 'none', capabilities: { webhooks: false } } as BankProvider,
  {
    get(target, key) {
      if (key in target) return target[key as keyof BankProvider];
      return () => {
        throw new Error(`unexpected provider call: ${String(key)}`);
      };
    },
  },
);

async function setup(): Promise<{ finkit: Finkit; store: Store; txIds: string[] }> {
  const store = createMemoryStore();
  const kid = 'k1';
  const finkit = createFinkit({
    store,
    provider: noProvider,
    cipher: createTokenCipher({ keys: { [kid]: generateTokenKey() }, primaryKeyId: kid }),
    clock: { now: () => new Date('2024-03-15T12:00:00Z') },
  });
  const connection = await store.connections.create({
    userId: 'alice',
    provider: 'none',
    providerItemId: 'item-1',
    institutionId: null,
    institutionName: 'Test Bank',
    encryptedAccessToken: 'x',
  });
  const result = await store.applySyncBatch({
    userId: 'alice',
    connectionId: connection.id,
    nextCursor: 'c1',
    accounts: [providerAccount('acc-1')],
    upserts: [
      syncTransaction('t1', 'acc-1', { amount: -450, description: 'SQ *BLUE BOTTLE', date: '2024-03-02' }),
      syncTransaction('t2', 'acc-1', { amount: -12_000, description: 'SAFEWAY', date: '2024-03-03' }),
    ],
    removed: [],
    syncedAt: new Date('2024-03-04T00:00:00Z'),
  });
  return { finkit, store, txIds: result.added };
}

function expectCode(promise: Promise<unknown>, code: string) {
  return expect(promise).rejects.toSatisfy((error: unknown) =>
    FinkitError.hasCode(error, code as 'VALIDATION'),
  );
}

describe('createFinkit', () => {
  it('records a user edit with its source and publishes transaction.updated', async () => {
    const { finkit, txIds } = await setup();
    const seen: FinkitEvent[] = [];
    finkit.events.subscribe('transaction.updated', (event) => seen.push(event));
    const id = txIds[0]!;
    const edited = await finkit.transactions.edit('alice', id, {
      categoryId: 'food_and_dining',
      notes: 'team coffee',
    });
    expect(edited.categoryId).toBe('food_and_dining');
    expect(edited.sources.categoryId).toBe('user');
    expect(edited.sources.notes).toBe('user');
    expect(edited.categoryConfidence).toBe(1);
    expect(seen).toEqual([
      expect.objectContaining({
        type: 'transaction.updated',
        userId: 'alice',
        data: { transactionId: id, fields: ['categoryId', 'notes'] },
      }),
    ]);
  });

  it('rejects edits of unknown categories and unknown fields, and hides other users rows', async () => {
    const { finkit, txIds } = await setup();
    const id = txIds[0]!;
    await expectCode(finkit.transactions.edit('alice', id, { categoryId: 'nope' }), 'VALIDATION');
    await expectCode(finkit.transactions.edit('alice', id, { amount: 5 } as never), 'VALIDATION');
    await expectCode(finkit.transactions.get('bob', id), 'NOT_FOUND');
    await expectCode(finkit.transactions.edit('bob', id, { notes: 'mine now' }), 'NOT_FOUND');
    expect((await finkit.transactions.get('alice', id)).notes).toBeNull();
  });

  it('lists with validated filters and pages', async () => {
    const { finkit } = await setup();
    const page = await finkit.transactions.list('alice', { maxAmount: -1000 }, { limit: 1 });
    expect(page.items.map((t) => t.description)).toEqual(['SAFEWAY']);
    await expectCode(finkit.transactions.list('alice', { from: '2024-02-30' }), 'VALIDATION');
    await expectCode(finkit.transactions.list('alice', {}, { limit: 0 }), 'VALIDATION');
  });

  it('bulk-categorizes all or nothing', async () => {
    const { finkit, txIds } = await setup();
    await expectCode(
      finkit.transactions.bulkCategorize('alice', { ids: [...txIds, 'missing'], categoryId: 'travel' }),
      'NOT_FOUND',
    );
    for (const id of txIds)
      expect((await finkit.transactions.get('alice', id)).categoryId).not.toBe('travel');
    const rows = await finkit.transactions.bulkCategorize('alice', { ids: txIds, categoryId: 'travel' });
    expect(rows.map((r) => [r.categoryId, r.sources.categoryId])).toEqual([
      ['travel', 'user'],
      ['travel', 'user'],
    ]);
  });

  it('validates rules, budgets and goals with typed errors', async () => {
    const { finkit } = await setup();
    await expectCode(
      finkit.rules.create('alice', { name: 'x', conditions: [], actions: { categoryId: 'travel' } }),
      'VALIDATION',
    );
    await expectCode(
      finkit.rules.create('alice', {
        name: 'Coffee',
        conditions: [{ field: 'description', op: 'contains', value: 'coffee' }],
        actions: { categoryId: 'not-a-category' },
      }),
      'VALIDATION',
    );
    const rule = await finkit.rules.create('alice', {
      name: 'Coffee',
      conditions: [{ field: 'description', op: 'contains', value: 'BLUE BOTTLE' }],
      actions: { categoryId: 'food_and_dining' },
    });
    expect(rule).toMatchObject({ stage: 'default', priority: 0, match: 'all', enabled: true });
    await expectCode(finkit.rules.get('bob', rule.id), 'NOT_FOUND');

    const base = {
      name: 'Food',
      amount: 50_000,
      currency: 'USD',
      startDate: '2024-01-01',
      categoryIds: ['food_and_dining'],
    };
    await expectCode(finkit.budgets.create('alice', { ...base, amount: -1 }), 'VALIDATION');
    await expectCode(finkit.budgets.create('alice', { ...base, amount: 10.5 }), 'VALIDATION');
    await expectCode(finkit.budgets.create('alice', { ...base, currency: 'XXQ' }), 'VALIDATION');
    await expectCode(finkit.budgets.create('alice', { ...base, categoryIds: ['income'] }), 'VALIDATION');
    await expectCode(finkit.budgets.create('alice', { ...base, timezone: 'Mars/Olympus' }), 'VALIDATION');
    const budget = await finkit.budgets.create('alice', { ...base, thresholds: [100, 50, 50] });
    expect(budget.thresholds).toEqual([50, 100]);
    await expectCode(finkit.budgets.update('alice', budget.id, { currency: 'EUR' }), 'VALIDATION');

    await expectCode(
      finkit.goals.create('alice', { name: 'Trip', targetAmount: 0, currency: 'USD' }),
      'VALIDATION',
    );
    const [account] = await finkit.accounts.list('alice');
    await expectCode(
      finkit.goals.create('alice', {
        name: 'Trip',
        targetAmount: 100_000,
        currency: 'EUR',
        linkedAccountId: account!.id,
      }),
      'CURRENCY_MISMATCH',
    );
    const goal = await finkit.goals.create('alice', { name: 'Trip', targetAmount: 100_000, currency: 'USD' });
    await finkit.goals.contribute('alice', goal.id, { amount: 2_500, date: '2024-03-01' });
    await expectCode(
      finkit.goals.contribute('alice', goal.id, { amount: 0, date: '2024-03-01' }),
      'VALIDATION',
    );
    await expectCode(finkit.goals.contribute('bob', goal.id, { amount: 1, date: '2024-03-01' }), 'NOT_FOUND');
    expect((await finkit.goals.contributions('alice', goal.id)).map((c) => c.amount)).toEqual([2_500]);
  });

  it('creates, renames and deletes categories with reassignment', async () => {
    const { finkit, txIds } = await setup();
    const coffee = await finkit.categories.create('alice', { name: 'Coffee', parentId: 'food_and_dining' });
    await finkit.transactions.edit('alice', txIds[0]!, { categoryId: coffee.id });
    expect((await finkit.categories.rename('alice', coffee.id, 'Café')).name).toBe('Café');
    await expectCode(finkit.categories.delete('alice', coffee.id, coffee.id), 'VALIDATION');
    await finkit.categories.delete('alice', coffee.id, 'food_and_dining');
    expect((await finkit.transactions.get('alice', txIds[0]!)).categoryId).toBe('food_and_dining');
    expect((await finkit.categories.list('alice')).some((c) => c.id === coffee.id)).toBe(false);
    expect((await finkit.categories.list('bob')).length).toBe(12);
  });

  it('never exposes the encrypted access token through connections', async () => {
    const { finkit } = await setup();
    const [connection] = await finkit.connections.list('alice');
    expect(connection).toBeDefined();
    expect(JSON.stringify(connection)).not.toContain('encryptedAccessToken');
    await expectCode(finkit.connections.get('bob', connection!.id), 'NOT_FOUND');
  });

  it('evaluates budgets after an edit on its own, and alerts once per threshold', async () => {
    const { finkit, txIds } = await setup();
    const alerts: FinkitEvent<'budget.threshold_crossed'>[] = [];
    finkit.events.subscribe('budget.threshold_crossed', (event) => alerts.push(event));
    const budget = await finkit.budgets.create('alice', {
      name: 'Food',
      amount: 10_000,
      currency: 'USD',
      startDate: '2024-01-01',
      categoryIds: ['food_and_dining'],
    });
    // SAFEWAY, -120.00, moved into Food: 120% of a 100.00 budget.
    await finkit.transactions.edit('alice', txIds[1]!, { categoryId: 'food_and_dining' });
    await finkit.idle();
    expect(alerts.map((a) => [a.data.budgetId, a.data.threshold, a.data.spent])).toEqual([
      [budget.id, 50, 12_000],
      [budget.id, 80, 12_000],
      [budget.id, 100, 12_000],
    ]);
    // Down and up again: no second alert.
    await finkit.transactions.edit('alice', txIds[1]!, { categoryId: 'shopping' });
    await finkit.transactions.edit('alice', txIds[1]!, { categoryId: 'food_and_dining' });
    await finkit.idle();
    expect(alerts).toHaveLength(3);
    await finkit.close();
  });

  it('follows an edit of a pending row the sync just replaced to the posted row', async () => {
    const { finkit, store } = await setup();
    const [connection] = await store.connections.list('alice');
    const batch = (extra: Partial<Parameters<Store['applySyncBatch']>[0]>) => ({
      userId: 'alice',
      connectionId: connection!.id,
      nextCursor: 'c',
      accounts: [providerAccount('acc-1')],
      upserts: [],
      removed: [],
      syncedAt: new Date('2024-03-05T00:00:00Z'),
      ...extra,
    });
    const { added } = await store.applySyncBatch(
      batch({ upserts: [syncTransaction('p', 'acc-1', { pending: true })] }),
    );
    await store.applySyncBatch(
      batch({ removed: ['p'], upserts: [syncTransaction('posted', 'acc-1', { pendingTransactionId: 'p' })] }),
    );
    const row = await finkit.transactions.edit('alice', added[0]!, { notes: 'saved while syncing' });
    expect([row.providerTransactionId, row.notes]).toEqual(['posted', 'saved while syncing']);
    await expectCode(finkit.transactions.get('alice', added[0]!), 'NOT_FOUND');
  });

  it('remembers what the user taught it across a restart (learned state lives in the store)', async () => {
    const { finkit, store, txIds } = await setup();
    // SAFEWAY came in as Shopping; the user says groceries are food.
    await finkit.transactions.edit('alice', txIds[1]!, { categoryId: 'food_and_dining' });
    await finkit.close();
    const [connection] = await store.connections.list('alice');
    const { added } = await store.applySyncBatch({
      userId: 'alice',
      connectionId: connection!.id,
      nextCursor: 'c2',
      accounts: [providerAccount('acc-1')],
      upserts: [
        syncTransaction('t3', 'acc-1', { amount: -8_000, description: 'SAFEWAY', date: '2024-03-10' }),
      ],
      removed: [],
      syncedAt: new Date('2024-03-11T00:00:00Z'),
    });
    const restarted = createFinkit({
      store,
      provider: noProvider,
      cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
    });
    await restarted.transactions.categorize('alice', { ids: added });
    const row = await restarted.transactions.get('alice', added[0]!);
    expect([row.categoryId, row.sources.categoryId]).toEqual(['food_and_dining', 'learned']);
    await restarted.close();
  });
});
