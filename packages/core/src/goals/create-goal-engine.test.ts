import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { createMemoryEventBus } from '../events/create-memory-event-bus.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { ProviderAccount } from '../ports/bank-provider.js';
import type { FinkitEvent } from '../schemas/event.js';
import { type NewGoal, newGoalSchema } from '../schemas/goal.js';
import { createGoalEngine } from './create-goal-engine.js';

const userId = 'user-1';

async function setup(now: string) {
  const clock = { at: new Date(now), now: () => clock.at };
  const store = createMemoryStore({ clock });
  const events = createMemoryEventBus();
  const published: FinkitEvent[] = [];
  events.subscribe('*', (event) => published.push(event));
  const engine = createGoalEngine({ store, events, clock });
  const goal = (input: Partial<NewGoal> = {}) =>
    store.goals.create(
      userId,
      newGoalSchema.parse({ name: 'Trip', targetAmount: 100_000, currency: 'USD', ...input }),
    );
  const contribute = (goalId: string, amount: number, date: string) =>
    store.goals.addContribution(userId, goalId, { amount, date, note: null });
  return { clock, store, engine, published, goal, contribute };
}

function account(providerAccountId: string, type: ProviderAccount['type'], current: number): ProviderAccount {
  return {
    providerAccountId,
    name: providerAccountId,
    officialName: null,
    type,
    subtype: null,
    mask: null,
    currency: 'USD',
    balances: {
      current,
      available: null,
      limit: null,
      currency: 'USD',
      asOf: new Date('2025-04-01T00:00:00Z'),
    },
  };
}

describe('goal progress', () => {
  it('from a starting amount and contributions, paced over the last three months', async () => {
    const { clock, engine, goal, contribute } = await setup('2024-12-01T12:00:00Z');
    const g = await goal({ startingAmount: 10_000, targetDate: '2025-10-15' });
    await contribute(g.id, 5_000, '2024-12-15'); // before the window (2025-01-15, 2025-04-15]
    await contribute(g.id, 9_000, '2025-02-01');
    await contribute(g.id, 9_000, '2025-03-01');
    await contribute(g.id, 10_000, '2025-04-01');
    await contribute(g.id, -1_000, '2025-04-10'); // a withdrawal
    clock.at = new Date('2025-04-15T12:00:00Z');
    const progress = await engine.progress(userId, g.id);
    expect(progress).toMatchObject({
      source: 'contributions',
      // 10,000 + 5,000 + 9,000 + 9,000 + 10,000 − 1,000
      current: 42_000,
      remaining: 58_000,
      percent: 42,
      // (9,000 + 9,000 + 10,000 − 1,000) / 3 months
      monthlyPace: 9_000,
      monthsRemaining: 6,
      // 58,000 / 6 = 9,666.67 → 9,667
      requiredMonthlyContribution: 9_667,
      // 58,000 / 9,000 = 6.44 → 7 months, after the date
      monthsToCompletion: 7,
      projectedCompletionDate: '2025-11-15',
      status: 'off_track',
    });
  });

  it('a goal younger than the window is paced since it began, and with none yet the pace is 0', async () => {
    const { clock, engine, goal, contribute } = await setup('2025-04-01T12:00:00Z');
    const g = await goal({ targetDate: '2026-04-15' });
    expect((await engine.progress(userId, g.id)).monthlyPace).toBe(0);
    expect((await engine.progress(userId, g.id)).status).toBe('off_track');
    await contribute(g.id, 5_000, '2025-04-02');
    clock.at = new Date('2025-04-15T12:00:00Z');
    // 15 days since it began count as one month.
    expect((await engine.progress(userId, g.id)).monthlyPace).toBe(5_000);
  });

  it.each([
    // [account type, balance, progress]
    ['depository', 50_000, 50_000],
    ['investment', 70_000, 70_000],
    ['credit', 20_000, -20_000],
    ['loan', 300_000, -300_000],
  ] as const)('a linked %s account with balance %i counts as %i', async (type, balance, current) => {
    const { store, engine, goal } = await setup('2025-04-15T12:00:00Z');
    const connection = await store.connections.create({
      userId,
      provider: 'test',
      providerItemId: 'item',
      institutionId: null,
      institutionName: null,
      encryptedAccessToken: 'sealed',
    });
    const [linked] = await store.accounts.upsertMany(userId, connection.id, [account('a1', type, balance)]);
    const g = await goal({ linkedAccountId: linked!.id, startingAmount: 999 });
    const progress = await engine.progress(userId, g.id);
    expect(progress.source).toBe('account');
    expect(progress.current).toBe(current);
  });

  it("a linked account's pace is its net flow over the window", async () => {
    const { store, engine, goal } = await setup('2025-04-15T12:00:00Z');
    const connection = await store.connections.create({
      userId,
      provider: 'test',
      providerItemId: 'item',
      institutionId: null,
      institutionName: null,
      encryptedAccessToken: 'sealed',
    });
    const savings = account('savings', 'depository', 60_000);
    const tx = (id: string, date: string, amount: number, providerAccountId = 'savings') => ({
      providerTransactionId: id,
      providerAccountId,
      pendingTransactionId: null,
      date,
      authorizedDate: null,
      amount,
      currency: 'USD',
      description: id,
      merchantName: null,
      pending: false,
      providerCategory: null,
      categoryId: 'transfer',
      categoryConfidence: 1,
      categoryExplanation: 'test',
      tags: [],
      hidden: id === 'hidden',
      sources: {},
    });
    await store.applySyncBatch({
      userId,
      connectionId: connection.id,
      nextCursor: 'c1',
      accounts: [savings, account('checking', 'depository', 1)],
      upserts: [
        tx('old', '2025-01-15', 99_000), // on the window's exclusive start
        tx('in1', '2025-02-01', 20_000),
        tx('in2', '2025-03-01', 20_000),
        tx('hidden', '2025-04-01', 5_000), // hidden from lists, still money in the account
        tx('out', '2025-04-02', -6_000),
        tx('elsewhere', '2025-03-01', 50_000, 'checking'),
      ],
      removed: [],
      syncedAt: new Date('2025-04-15T00:00:00Z'),
    });
    const linked = (await store.accounts.list(userId)).find((a) => a.providerAccountId === 'savings')!;
    const g = await goal({ linkedAccountId: linked.id, targetAmount: 200_000 });
    // (20,000 + 20,000 + 5,000 − 6,000) / 3 = 13,000
    expect((await engine.progress(userId, g.id)).monthlyPace).toBe(13_000);
  });

  it('refuses a goal that is not the user’s', async () => {
    const { engine, goal } = await setup('2025-04-15T12:00:00Z');
    const g = await goal();
    await expect(engine.progress('someone-else', g.id)).rejects.toSatisfy((error) =>
      FinkitError.hasCode(error, 'NOT_FOUND'),
    );
    await expect(engine.progress(userId, g.id, { timezone: 'Mars/Olympus' })).rejects.toSatisfy((error) =>
      FinkitError.hasCode(error, 'VALIDATION'),
    );
  });
});

describe('goal alerts', () => {
  const alerts = (published: FinkitEvent[]) =>
    published.map((event) =>
      event.type === 'goal.milestone_reached' ? `${event.type}:${event.data.percent}` : event.type,
    );

  it('milestones fire once each, in order, even concurrently and after a dip', async () => {
    const { engine, goal, contribute, published } = await setup('2025-04-15T12:00:00Z');
    const g = await goal({ targetAmount: 100_000 });
    await contribute(g.id, 24_999, '2025-04-01');
    expect(await engine.evaluateGoals(userId)).toEqual([]);
    await contribute(g.id, 1, '2025-04-02');
    await Promise.all([1, 2, 3, 4].map(() => engine.evaluateGoals(userId)));
    expect(alerts(published)).toEqual(['goal.milestone_reached:25']);

    await contribute(g.id, -20_000, '2025-04-03');
    await engine.evaluateGoals(userId);
    await contribute(g.id, 95_000, '2025-04-04');
    const results = await Promise.all([engine.evaluateGoals(userId), engine.evaluateGoals(userId)]);
    expect(results.flat()).toHaveLength(4);
    expect(alerts(published)).toEqual([
      'goal.milestone_reached:25',
      'goal.milestone_reached:50',
      'goal.milestone_reached:75',
      'goal.milestone_reached:100',
      'goal.reached',
    ]);
    expect(published.at(-1)).toMatchObject({ userId, data: { goalId: g.id } });
  });

  it('off track fires at most once a month', async () => {
    const { clock, engine, goal, published } = await setup('2025-04-15T12:00:00Z');
    await goal({ targetDate: '2026-04-15' });
    await goal({ targetDate: null }); // nothing to be off track for
    await engine.evaluateGoals(userId);
    await engine.evaluateGoals(userId);
    expect(alerts(published)).toEqual(['goal.off_track']);
    clock.at = new Date('2025-05-01T00:30:00Z');
    await Promise.all([engine.evaluateGoals(userId), engine.evaluateGoals(userId)]);
    expect(alerts(published)).toEqual(['goal.off_track', 'goal.off_track']);
  });
});
