import { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

export async function main() {
  const sandbox = await startPlaidSandbox({ historyDays: 90 });
  const finkit = createFinkit({
    store: createMemoryStore(),
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
    clock: { now: () => new Date(`${sandbox.today()}T12:00:00Z`) }, // the sandbox's "today"
  });
  const userId = 'user-1';
  const seen = new Set<string>();
  finkit.events.subscribe('*', (event) => {
    if (event.userId === userId) seen.add(event.type);
  });

  const budget = await finkit.budgets.create(userId, {
    name: 'Eating out',
    categoryIds: ['food_and_dining'],
    amount: 5_000, // $50.00 a month
    currency: 'USD',
    startDate: `${sandbox.today().slice(0, 8)}01`,
    thresholds: [80, 100],
  });
  const goal = await finkit.goals.create(userId, { name: 'Trip', targetAmount: 200_000, currency: 'USD' });
  await finkit.goals.contribute(userId, goal.id, { amount: 50_000, date: sandbox.today() });

  const { initialSync } = await finkit.connections.link(userId, sandbox.createPublicToken());
  await initialSync; // budgets and goals are re-evaluated after every sync
  await finkit.goals.evaluate(userId);
  await finkit.idle();

  const progress = await finkit.budgets.progress(userId, budget.id);
  const { percent } = await finkit.goals.progress(userId, goal.id);
  await sandbox.close();
  return {
    spent: progress.spent,
    percentUsed: progress.percentUsed,
    goalPercent: percent,
    events: [...seen].sort(),
  };
}
