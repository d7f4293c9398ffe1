import { expect } from 'vitest';
import type { Store } from '../ports/store.js';
import {
  budgetInput,
  type ContractHarness,
  expectFinkitError,
  goalInput,
  providerAccount,
  ruleInput,
  type SeededUser,
  seedAccounts,
  seedUser,
  syncTransaction,
} from './store-contract-fixtures.js';

interface OwnedEverything extends SeededUser {
  ruleId: string;
  categoryId: string;
  budgetId: string;
  goalId: string;
  notificationId: string;
  transactionId: string;
}

async function seedEverything(store: Store): Promise<OwnedEverything> {
  const seeded = await seedUser(store, 6);
  const { userId } = seeded;
  const transactionId = seeded.rows.get('tx-0000')!.id;
  const rule = await store.rules.create(userId, ruleInput());
  const category = await store.categories.create(userId, {
    name: 'Owner only',
    kind: 'expense',
    parentId: null,
  });
  const budget = await store.budgets.create(userId, budgetInput());
  const goal = await store.goals.create(userId, goalInput());
  await store.goals.addContribution(userId, goal.id, { amount: 5_000, date: '2024-03-01', note: null });
  const { notification } = await store.notifications.create(userId, {
    type: 'budget.threshold_crossed',
    dedupeKey: 'owner-key',
    title: 'Owner',
    body: 'Only for the owner',
    data: {},
  });
  if (store.capabilities.vectorSearch) {
    await store.transactions.setEmbeddings(userId, [
      { transactionId, model: 'contract-model', vector: new Float32Array([1, 0, 0]) },
    ]);
  }
  return {
    ...seeded,
    ruleId: rule.id,
    categoryId: category.id,
    budgetId: budget.id,
    goalId: goal.id,
    notificationId: notification.id,
    transactionId,
  };
}

/** Everything user A can see, to compare before and after user B's attempts. */
async function snapshotOf(store: Store, a: OwnedEverything): Promise<unknown> {
  const { userId } = a;
  return {
    connections: await store.connections.list(userId),
    accounts: await store.accounts.list(userId, { includeClosed: true }),
    transactions: await store.transactions.list(userId, { includeHidden: true }, { limit: 1000 }),
    rules: await store.rules.list(userId),
    categories: await store.categories.list(userId),
    budgets: await store.budgets.list(userId),
    goals: await store.goals.list(userId),
    contributions: await store.goals.listContributions(userId, a.goalId),
    notifications: await store.notifications.list(userId),
  };
}

export function describeIsolationContract(harness: ContractHarness): void {
  const { test } = harness;

  test("another user's rows read as missing: get returns null and lists are empty", async () => {
    const { store } = harness;
    const a = await seedEverything(store);
    const b = `${a.userId}-other`;
    expect(await store.connections.get(b, a.connection.id), 'connections.get').toBeNull();
    expect(await store.connections.list(b), 'connections.list').toEqual([]);
    expect(await store.accounts.get(b, a.accounts[0]!.id), 'accounts.get').toBeNull();
    expect(await store.accounts.list(b, { includeClosed: true }), 'accounts.list').toEqual([]);
    expect(
      await store.accounts.list(b, { connectionId: a.connection.id }),
      'accounts.list by connection',
    ).toEqual([]);
    expect(await store.transactions.get(b, a.transactionId), 'transactions.get').toBeNull();
    const page = await store.transactions.list(b, { includeHidden: true }, { limit: 1000 });
    expect(page.items, 'transactions.list').toEqual([]);
    const filtered = await store.transactions.list(b, { connectionId: a.connection.id }, { limit: 10 });
    expect(filtered.items, 'transactions.list by connection').toEqual([]);
    expect(
      await store.transactions.getByProviderIds(b, a.connection.id, ['tx-0000', 'tx-0001']),
      'transactions.getByProviderIds',
    ).toEqual([]);
    expect(await store.transactions.aggregate(b, { groupBy: 'none' }), 'transactions.aggregate').toEqual([]);
    expect(await store.rules.get(b, a.ruleId), 'rules.get').toBeNull();
    expect(await store.rules.list(b), 'rules.list').toEqual([]);
    expect(await store.categories.get(b, a.categoryId), 'categories.get').toBeNull();
    const categories = await store.categories.list(b);
    expect(
      categories.map((c) => c.id),
      'categories.list',
    ).not.toContain(a.categoryId);
    expect(await store.budgets.get(b, a.budgetId), 'budgets.get').toBeNull();
    expect(await store.budgets.list(b), 'budgets.list').toEqual([]);
    expect(await store.goals.get(b, a.goalId), 'goals.get').toBeNull();
    expect(await store.goals.list(b), 'goals.list').toEqual([]);
    expect(await store.goals.listContributions(b, a.goalId), 'goals.listContributions').toEqual([]);
    expect(await store.notifications.list(b), 'notifications.list').toEqual([]);
    if (store.capabilities.vectorSearch) {
      const found = await store.searchSimilar(b, {
        vector: new Float32Array([1, 0, 0]),
        model: 'contract-model',
        k: 5,
      });
      expect(found, 'searchSimilar').toEqual([]);
    }
  });

  test("writes to another user's rows throw NOT_FOUND and change nothing", async () => {
    const { store } = harness;
    const a = await seedEverything(store);
    const b = `${a.userId}-other`;
    const before = await snapshotOf(store, a);
    const attempts: [string, () => Promise<unknown>][] = [
      ['connections.update', () => store.connections.update(b, a.connection.id, { status: 'error' })],
      [
        'accounts.upsertMany',
        () => store.accounts.upsertMany(b, a.connection.id, [providerAccount('acc-b')]),
      ],
      ['accounts.closeAll', () => store.accounts.closeAll(b, a.connection.id, new Date())],
      [
        'transactions.edit',
        () => store.transactions.edit(b, [{ id: a.transactionId, fields: { notes: 'b' } }], 'user'),
      ],
      [
        'transactions.setEmbeddings',
        () =>
          store.transactions.setEmbeddings(b, [
            { transactionId: a.transactionId, model: 'contract-model', vector: new Float32Array([0, 1, 0]) },
          ]),
      ],
      ['rules.update', () => store.rules.update(b, a.ruleId, { name: 'Taken' })],
      ['rules.delete', () => store.rules.delete(b, a.ruleId)],
      ['categories.update', () => store.categories.update(b, a.categoryId, { name: 'Taken' })],
      ['categories.delete', () => store.categories.delete(b, a.categoryId, 'uncategorized')],
      ['budgets.update', () => store.budgets.update(b, a.budgetId, { amount: 1 })],
      ['budgets.delete', () => store.budgets.delete(b, a.budgetId)],
      [
        'budgets.recordThresholdCrossing',
        () => store.budgets.recordThresholdCrossing(b, a.budgetId, '2024-02-01', 80),
      ],
      ['goals.update', () => store.goals.update(b, a.goalId, { name: 'Taken' })],
      ['goals.delete', () => store.goals.delete(b, a.goalId)],
      [
        'goals.addContribution',
        () => store.goals.addContribution(b, a.goalId, { amount: 100, date: '2024-03-02', note: null }),
      ],
      ['notifications.markRead', () => store.notifications.markRead(b, a.notificationId, new Date())],
      [
        'applySyncBatch',
        () =>
          store.applySyncBatch({
            ...a.batch(),
            userId: b,
            upserts: [syncTransaction('tx-b', seedAccounts.checking)],
            removed: ['tx-0000'],
          }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      await expectFinkitError(attempt, 'NOT_FOUND', `user B: ${what}`);
    }
    expect(await snapshotOf(store, a), "user A's data after user B's attempts").toEqual(before);
    const first = await store.budgets.recordThresholdCrossing(a.userId, a.budgetId, '2024-02-01', 80);
    expect(first, "user B's recordThresholdCrossing did not record A's crossing").toBe(true);
    const connection = await store.connections.get(a.userId, a.connection.id);
    expect(connection?.cursor, "user A's cursor").toBe(a.connection.cursor);
  });

  test("a user's lists hold only their own rows when two users have data", async () => {
    const { store } = harness;
    const a = await seedEverything(store);
    const b = await seedEverything(store);
    for (const user of [a, b]) {
      const other = user === a ? b : a;
      const page = await store.transactions.list(user.userId, { includeHidden: true }, { limit: 1000 });
      expect(page.items.length, 'transactions of one user').toBe(user.inputs.length);
      expect(
        page.items.every((row) => row.userId === user.userId),
        'every row is the user’s',
      ).toBe(true);
      expect((await store.connections.list(user.userId)).map((c) => c.id)).toEqual([user.connection.id]);
      expect((await store.rules.list(user.userId)).map((r) => r.id)).toEqual([user.ruleId]);
      expect((await store.budgets.list(user.userId)).map((r) => r.id)).toEqual([user.budgetId]);
      expect((await store.goals.list(user.userId)).map((r) => r.id)).toEqual([user.goalId]);
      expect((await store.notifications.list(user.userId)).map((r) => r.id)).toEqual([user.notificationId]);
      const categoryIds = (await store.categories.list(user.userId)).map((c) => c.id);
      expect(categoryIds, 'own category listed').toContain(user.categoryId);
      expect(categoryIds, "other user's category not listed").not.toContain(other.categoryId);
      const totals = await store.transactions.aggregate(user.userId, {
        groupBy: 'none',
        filter: { includeHidden: true },
      });
      expect(
        totals.reduce((n, row) => n + row.count, 0),
        'aggregate counts only own rows',
      ).toBe(user.inputs.length);
    }
  });

  test("another user's category cannot be used as a reference", async () => {
    const { store } = harness;
    const a = await seedEverything(store);
    const b = await seedUser(store, 1);
    const rowOfB = b.rows.get('tx-0000')!;
    await expectFinkitError(
      () =>
        store.transactions.edit(b.userId, [{ id: rowOfB.id, fields: { categoryId: a.categoryId } }], 'user'),
      'VALIDATION',
      "edit to another user's category",
    );
    expect((await store.transactions.get(b.userId, rowOfB.id))?.categoryId, 'category unchanged').toBe(
      rowOfB.categoryId,
    );
  });
}
