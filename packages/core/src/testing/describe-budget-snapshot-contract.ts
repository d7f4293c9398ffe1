import { expect } from 'vitest';
import type { AggregateQuery } from '../ports/store.js';
import { budgetInput, type ContractHarness, seedUser, uniqueId } from './store-contract-fixtures.js';

export function describeBudgetSnapshotContract(harness: ContractHarness): void {
  const { test } = harness;

  test('budgets.snapshot: the budget, the user categories and the aggregate asked for, as the single reads answer', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 40);
    const { userId } = seeded;
    const child = await store.categories.create(userId, {
      name: uniqueId('Snacks'),
      kind: 'expense',
      parentId: 'food_and_dining',
    });
    const budget = await store.budgets.create(userId, budgetInput({ categoryIds: ['food_and_dining'] }));
    const categoryIds = [...new Set(seeded.inputs.map((input) => input.categoryId)), child.id].sort();
    const filter = { from: '2024-03-01', to: '2024-03-31', categoryIds };
    for (const query of [
      { groupBy: 'categoryDay', filter },
      { groupBy: 'category', filter: { ...filter, pending: false } },
    ] satisfies AggregateQuery[]) {
      const snapshot = await store.budgets.snapshot(userId, budget.id, query);
      expect(snapshot?.budget, `${query.groupBy}: the budget`).toEqual(budget);
      expect(snapshot?.categories, `${query.groupBy}: categories`).toEqual(
        await store.categories.list(userId),
      );
      expect(snapshot?.categories.map((category) => category.id)).toContain(child.id);
      const spending = await store.transactions.aggregate(userId, query);
      expect(spending.length, `${query.groupBy}: the seed has rows in March`).toBeGreaterThan(0);
      expect(snapshot?.spending, `${query.groupBy}: spending`).toEqual(spending);
    }
  });

  test('budgets.snapshot without a query reads no spending', async () => {
    const { store } = harness;
    const { userId } = await seedUser(store, 6);
    const budget = await store.budgets.create(userId, budgetInput());
    const snapshot = await store.budgets.snapshot(userId, budget.id);
    expect(snapshot?.budget).toEqual(budget);
    expect(snapshot?.spending).toEqual([]);
  });

  test("budgets.snapshot of a missing or another user's budget is null", async () => {
    const { store } = harness;
    const owner = await seedUser(store, 2);
    const other = await seedUser(store, 2);
    const budget = await store.budgets.create(owner.userId, budgetInput());
    const query: AggregateQuery = { groupBy: 'category', filter: { categoryIds: ['food_and_dining'] } };
    expect(await store.budgets.snapshot(other.userId, budget.id, query)).toBeNull();
    expect(await store.budgets.snapshot(owner.userId, uniqueId('budget'), query)).toBeNull();
    await store.budgets.delete(owner.userId, budget.id);
    expect(await store.budgets.snapshot(owner.userId, budget.id, query)).toBeNull();
  });
}
