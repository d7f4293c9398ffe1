import type { Finkit } from '@finkit/core';
import type { PlaidSandbox } from '@finkit/plaid/sandbox';
import type { DemoStateFile } from './demo-state.js';

/** A fresh data dir gets a demo user with a linked, synced bank, two budgets and a goal. */
export async function seedDemoUser(input: {
  finkit: Finkit;
  sandbox: PlaidSandbox;
  demo: DemoStateFile;
  userId: string;
  webhookUrl: string;
}): Promise<void> {
  const { finkit, sandbox, demo, userId, webhookUrl } = input;
  const institutionId = 'ins_109508';
  const publicToken = sandbox.createPublicToken(institutionId, { webhook: webhookUrl, daysRequested: 730 });
  demo.state.sandbox.institutions.push(institutionId);
  await demo.save();
  const { accounts, initialSync } = await finkit.connections.link(userId, publicToken);
  await initialSync;
  await finkit.context.jobs?.idle();

  // Budgets start three months back, so the dashboard has earlier periods to show beside this one.
  const [year, month] = sandbox.today().split('-').map(Number) as [number, number];
  const startDate = new Date(Date.UTC(year, month - 4, 1)).toISOString().slice(0, 10);
  await finkit.budgets.create(userId, {
    name: 'Eating out',
    amount: 60_000,
    currency: 'USD',
    startDate,
    categoryIds: ['food_and_dining'],
  });
  await finkit.budgets.create(userId, {
    name: 'Shopping',
    amount: 40_000,
    currency: 'USD',
    startDate,
    categoryIds: ['shopping'],
  });
  const savings = accounts.find((a) => a.subtype === 'savings');
  await finkit.goals.create(userId, {
    name: 'Emergency fund',
    targetAmount: 5_000_000,
    currency: 'USD',
    targetDate: `${Number(sandbox.today().slice(0, 4)) + 2}-12-31`,
    ...(savings ? { linkedAccountId: savings.id } : { startingAmount: 250_000 }),
  });
  await finkit.idle();
}
