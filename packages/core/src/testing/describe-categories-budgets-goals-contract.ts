import { expect } from 'vitest';
import { defaultCategories } from '../schemas/category.js';
import {
  budgetInput,
  type ContractHarness,
  expectFinkitError,
  goalInput,
  ruleInput,
  seedUser,
  uniqueId,
} from './store-contract-fixtures.js';

export function describeCategoriesBudgetsGoalsContract(harness: ContractHarness): void {
  const { test } = harness;

  test('categories list the defaults (userId null) first, then the user’s own by name', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const fresh = await store.categories.list(userId);
    expect(fresh.map((c) => c.id).sort(), 'defaults only').toEqual(defaultCategories.map((c) => c.id).sort());
    expect(
      fresh.every((c) => c.userId === null),
      'defaults have userId null',
    ).toBe(true);
    const zed = await store.categories.create(userId, { name: 'Zed', kind: 'expense', parentId: null });
    const alpha = await store.categories.create(userId, {
      name: 'Alpha',
      kind: 'income',
      parentId: 'income',
    });
    expect(alpha).toMatchObject({ userId, name: 'Alpha', kind: 'income', parentId: 'income' });
    const listed = await store.categories.list(userId);
    expect(
      listed.slice(0, defaultCategories.length).every((c) => c.userId === null),
      'defaults first',
    ).toBe(true);
    expect(
      listed.slice(defaultCategories.length).map((c) => c.id),
      'own by name',
    ).toEqual([alpha.id, zed.id]);
    expect(await store.categories.get(userId, 'groceries-does-not-exist')).toBeNull();
    expect((await store.categories.get(userId, 'income'))?.userId, 'a default by id').toBeNull();
    expect(await store.categories.get(userId, alpha.id)).toEqual(alpha);
  });

  test('category names are unique per user, ignoring case', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const coffee = await store.categories.create(userId, { name: 'Coffee', kind: 'expense', parentId: null });
    await expectFinkitError(
      () => store.categories.create(userId, { name: 'cOFFEE', kind: 'expense', parentId: null }),
      'CONFLICT',
      'same name, other case',
    );
    const tea = await store.categories.create(userId, { name: 'Tea', kind: 'expense', parentId: null });
    await expectFinkitError(
      () => store.categories.update(userId, tea.id, { name: 'COFFEE' }),
      'CONFLICT',
      'rename',
    );
    await store.categories.create(uniqueId('user'), { name: 'Coffee', kind: 'expense', parentId: null });
    const renamed = await store.categories.update(userId, coffee.id, {
      name: 'Coffee & Tea',
      parentId: 'food_and_dining',
    });
    expect(renamed).toMatchObject({ name: 'Coffee & Tea', parentId: 'food_and_dining' });
    expect(await store.categories.get(userId, coffee.id)).toEqual(renamed);
  });

  test('defaults cannot be updated or deleted: VALIDATION', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    await expectFinkitError(
      () => store.categories.update(userId, 'shopping', { name: 'Mine' }),
      'VALIDATION',
      'update',
    );
    await expectFinkitError(
      () => store.categories.delete(userId, 'shopping', 'uncategorized'),
      'VALIDATION',
      'delete',
    );
    expect((await store.categories.get(userId, 'shopping'))?.name).toBe('Shopping');
  });

  test('deleting a category moves its transactions, rule actions and children to reassignTo at once', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 3);
    const { userId } = seeded;
    const doomed = await store.categories.create(userId, { name: 'Doomed', kind: 'expense', parentId: null });
    const child = await store.categories.create(userId, {
      name: 'Child',
      kind: 'expense',
      parentId: doomed.id,
    });
    const ids = ['tx-0000', 'tx-0001'].map((p) => seeded.rows.get(p)!.id);
    await store.transactions.edit(
      userId,
      ids.map((id) => ({ id, fields: { categoryId: doomed.id } })),
      'user',
    );
    const rule = await store.rules.create(
      userId,
      ruleInput({ actions: { categoryId: doomed.id, hidden: true } }),
    );
    const other = await store.rules.create(userId, ruleInput({ actions: { categoryId: 'travel' } }));
    await store.categories.delete(userId, doomed.id, 'healthcare');
    expect(await store.categories.get(userId, doomed.id), 'deleted').toBeNull();
    expect((await store.categories.get(userId, child.id))?.parentId, 'child moved').toBe('healthcare');
    for (const id of ids) {
      expect((await store.transactions.get(userId, id))?.categoryId, 'transaction moved').toBe('healthcare');
    }
    expect((await store.rules.get(userId, rule.id))?.actions, 'rule action moved').toEqual({
      categoryId: 'healthcare',
      hidden: true,
    });
    expect((await store.rules.get(userId, other.id))?.actions.categoryId, 'other rule untouched').toBe(
      'travel',
    );
  });

  test('deleting with an unknown reassignTo is VALIDATION and deletes nothing', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 1);
    const { userId } = seeded;
    const kept = await store.categories.create(userId, { name: 'Kept', kind: 'expense', parentId: null });
    const id = seeded.rows.get('tx-0000')!.id;
    await store.transactions.edit(userId, [{ id, fields: { categoryId: kept.id } }], 'user');
    await expectFinkitError(
      () => store.categories.delete(userId, kept.id, uniqueId('missing-category')),
      'VALIDATION',
      'reassign to a missing category',
    );
    expect(await store.categories.get(userId, kept.id), 'still there').toEqual(kept);
    expect((await store.transactions.get(userId, id))?.categoryId, 'transaction untouched').toBe(kept.id);
    await expectFinkitError(
      () => store.categories.delete(userId, uniqueId('missing'), 'shopping'),
      'NOT_FOUND',
      'delete a missing category',
    );
  });

  test('budgets: create, read back, update, delete', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const input = budgetInput({ categoryIds: ['food_and_dining', 'shopping'], thresholds: [75, 100] });
    const budget = await store.budgets.create(userId, input);
    expect(budget).toMatchObject({ ...input, userId });
    expect(await store.budgets.get(userId, budget.id)).toEqual(budget);
    const updated = await store.budgets.update(userId, budget.id, { amount: 99_900, endDate: '2024-12-31' });
    expect(updated).toMatchObject({ ...input, amount: 99_900, endDate: '2024-12-31', id: budget.id });
    expect(await store.budgets.list(userId)).toEqual([updated]);
    await store.budgets.delete(userId, budget.id);
    expect(await store.budgets.get(userId, budget.id)).toBeNull();
    await expectFinkitError(
      () => store.budgets.update(userId, budget.id, { amount: 1 }),
      'NOT_FOUND',
      'update deleted',
    );
  });

  test('recordThresholdCrossing is true only the first time for a budget, period and threshold', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const budget = await store.budgets.create(userId, budgetInput());
    const record = (period: string, threshold: number) =>
      store.budgets.recordThresholdCrossing(userId, budget.id, period, threshold);
    expect(await record('2024-03-01', 80), 'first').toBe(true);
    expect(await record('2024-03-01', 80), 'second').toBe(false);
    const concurrent = await Promise.all([
      record('2024-03-01', 100),
      record('2024-03-01', 100),
      record('2024-03-01', 100),
    ]);
    expect(concurrent.filter(Boolean), 'concurrent callers: exactly one first').toHaveLength(1);
    expect(await record('2024-04-01', 80), 'next period').toBe(true);
    const otherBudget = await store.budgets.create(userId, budgetInput({ name: 'Other' }));
    expect(
      await store.budgets.recordThresholdCrossing(userId, otherBudget.id, '2024-03-01', 80),
      'other budget',
    ).toBe(true);
    await expectFinkitError(
      () => store.budgets.recordThresholdCrossing(userId, uniqueId('missing'), '2024-03-01', 80),
      'NOT_FOUND',
      'missing budget',
    );
  });

  test('goals: create, update, contributions oldest date first, delete removes contributions', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const goal = await store.goals.create(
      userId,
      goalInput({ targetDate: '2025-12-31', annualYield: 0.045 }),
    );
    expect(goal).toMatchObject({
      userId,
      targetDate: '2025-12-31',
      annualYield: 0.045,
      targetAmount: 1_000_000,
    });
    const updated = await store.goals.update(userId, goal.id, { targetAmount: 2_000_000 });
    expect(updated).toMatchObject({ id: goal.id, targetAmount: 2_000_000, annualYield: 0.045 });
    expect(await store.goals.get(userId, goal.id)).toEqual(updated);
    const late = await store.goals.addContribution(userId, goal.id, {
      amount: 3_000,
      date: '2024-05-01',
      note: 'May',
    });
    const early = await store.goals.addContribution(userId, goal.id, {
      amount: -1_000,
      date: '2024-02-01',
      note: null,
    });
    expect(late).toMatchObject({ userId, goalId: goal.id, amount: 3_000, date: '2024-05-01', note: 'May' });
    const listed = await store.goals.listContributions(userId, goal.id);
    expect(
      listed.map((c) => c.id),
      'oldest date first',
    ).toEqual([early.id, late.id]);
    await store.goals.delete(userId, goal.id);
    expect(await store.goals.get(userId, goal.id)).toBeNull();
    expect(await store.goals.listContributions(userId, goal.id), 'contributions deleted').toEqual([]);
    await expectFinkitError(
      () => store.goals.addContribution(userId, goal.id, { amount: 1, date: '2024-06-01', note: null }),
      'NOT_FOUND',
      'contribution to a deleted goal',
    );
  });
}
