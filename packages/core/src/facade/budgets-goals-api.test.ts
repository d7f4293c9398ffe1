import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { createMemoryEventBus } from '../events/create-memory-event-bus.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { createBudgetsApi } from './budgets-api.js';
import type { FinkitContext } from './finkit-context.js';
import { createGoalsApi } from './goals-api.js';

const userId = 'user-1';

function apis() {
  const clock = { now: () => new Date('2025-04-15T12:00:00Z') };
  const store = createMemoryStore({ clock });
  // Budgets and goals use only these parts of the context.
  const context = { store, events: createMemoryEventBus(), clock } as FinkitContext;
  return { budgets: createBudgetsApi(context), goals: createGoalsApi(context) };
}

const isValidation = (error: unknown) => FinkitError.hasCode(error, 'VALIDATION');

describe('finkit.budgets and finkit.goals engines', () => {
  it('budget progress, history, suggestions and evaluation through the facade', async () => {
    const { budgets } = apis();
    const budget = await budgets.create(userId, {
      name: 'All',
      amount: 10_000,
      currency: 'USD',
      startDate: '2025-01-01',
    });
    const progress = await budgets.progress(userId, budget.id);
    expect(progress).toMatchObject({ budgetId: budget.id, spent: 0, budgeted: 10_000, status: 'on_track' });
    expect(await budgets.progressAll(userId)).toHaveLength(1);
    expect((await budgets.history(userId, budget.id, { periods: 2 })).map((p) => p.period.start)).toEqual([
      '2025-02-01',
      '2025-03-01',
    ]);
    expect(await budgets.suggestions(userId)).toEqual([]);
    expect(await budgets.evaluate(userId)).toEqual([]);
  });

  it.each([
    [
      'a malformed date',
      (b: ReturnType<typeof apis>['budgets'], id: string) => b.progress(userId, id, { date: '2025-02-30' }),
    ],
    [
      'zero periods',
      (b: ReturnType<typeof apis>['budgets'], id: string) => b.history(userId, id, { periods: 0 }),
    ],
    [
      'an unknown currency',
      (b: ReturnType<typeof apis>['budgets']) => b.suggestions(userId, { currency: 'XYZ1' }),
    ],
    ['two months', (b: ReturnType<typeof apis>['budgets']) => b.suggestions(userId, { months: 2 })],
  ])('rejects %s as VALIDATION', async (_name, call) => {
    const { budgets } = apis();
    const budget = await budgets.create(userId, {
      name: 'All',
      amount: 10_000,
      currency: 'USD',
      startDate: '2025-01-01',
    });
    await expect(call(budgets, budget.id)).rejects.toSatisfy(isValidation);
  });

  it('goal progress and evaluation through the facade', async () => {
    const { goals } = apis();
    const goal = await goals.create(userId, {
      name: 'Trip',
      targetAmount: 10_000,
      currency: 'USD',
      targetDate: '2026-04-15',
    });
    await goals.contribute(userId, goal.id, { amount: 5_000, date: '2025-04-10' });
    const progress = await goals.progress(userId, goal.id, { timezone: 'Pacific/Auckland' });
    // In Auckland it is already 2025-04-16, so 11 whole months remain: 5,000 / 11 = 454.5 → 455.
    expect(progress).toMatchObject({
      current: 5_000,
      percent: 50,
      requiredMonthlyContribution: 455,
      status: 'on_track',
    });
    expect((await goals.evaluate(userId)).map((event) => event.type)).toEqual([
      'goal.milestone_reached',
      'goal.milestone_reached',
    ]);
    await expect(goals.progress(userId, goal.id, { timezone: '' })).rejects.toSatisfy(isValidation);
  });
});
