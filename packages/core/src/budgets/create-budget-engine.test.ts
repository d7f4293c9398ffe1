import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { createMemoryEventBus } from '../events/create-memory-event-bus.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { SyncTransactionInput } from '../ports/store.js';
import { type Budget, type NewBudget, newBudgetSchema } from '../schemas/budget.js';
import type { FinkitEvent } from '../schemas/event.js';
import { budgetPeriodContaining, nextBudgetPeriod } from './budget-period.js';
import { addDays } from './calendar-date.js';
import { createBudgetEngine } from './create-budget-engine.js';

const userId = 'user-1';

/** A user with one checking account, a settable clock and every published event recorded. */
async function setup(now = '2024-03-16T12:00:00Z') {
  const clock = { at: new Date(now), now: () => clock.at };
  const store = createMemoryStore({ clock });
  const events = createMemoryEventBus();
  const published: FinkitEvent[] = [];
  events.subscribe('*', (event) => published.push(event));
  const connection = await store.connections.create({
    userId,
    provider: 'test',
    providerItemId: 'item-1',
    institutionId: null,
    institutionName: null,
    encryptedAccessToken: 'sealed',
  });
  const account = {
    providerAccountId: 'checking',
    name: 'Checking',
    officialName: null,
    type: 'depository' as const,
    subtype: null,
    mask: null,
    currency: 'USD',
    balances: { current: 0, available: 0, limit: null, currency: 'USD', asOf: new Date(now) },
  };
  let cursor = 0;
  async function sync(upserts: SyncTransactionInput[], removed: string[] = []) {
    cursor += 1;
    await store.applySyncBatch({
      userId,
      connectionId: connection.id,
      nextCursor: `c${cursor}`,
      accounts: [account],
      upserts,
      removed,
      syncedAt: clock.now(),
    });
  }
  const engine = createBudgetEngine({ store, events, clock });
  const budget = (input: Partial<NewBudget> = {}) =>
    store.budgets.create(
      userId,
      newBudgetSchema.parse({
        name: 'Food',
        amount: 40_000,
        currency: 'USD',
        startDate: '2024-01-01',
        ...input,
      }),
    );
  return { clock, store, engine, published, sync, budget };
}

let txCounter = 0;
function tx(
  date: string,
  amount: number,
  overrides: Partial<SyncTransactionInput> = {},
): SyncTransactionInput {
  txCounter += 1;
  return {
    providerTransactionId: `t${txCounter}`,
    providerAccountId: 'checking',
    pendingTransactionId: null,
    date,
    authorizedDate: null,
    amount,
    currency: 'USD',
    description: `T${txCounter}`,
    merchantName: null,
    pending: false,
    providerCategory: null,
    categoryId: 'food_and_dining',
    categoryConfidence: 1,
    categoryExplanation: 'test',
    tags: [],
    hidden: false,
    sources: {},
    ...overrides,
  };
}

describe('budget progress', () => {
  it('counts money out in the period, nets refunds, and projects the pace', async () => {
    const { engine, sync, budget } = await setup('2024-03-16T12:00:00Z');
    const b = await budget({ categoryIds: ['food_and_dining'] });
    await sync([
      tx('2024-03-01', -10_000),
      tx('2024-03-10', -12_000),
      tx('2024-03-12', 2_000), // refund
      tx('2024-02-29', -50_000), // previous period
      tx('2024-04-01', -50_000), // next period
      tx('2024-03-05', -7_000, { categoryId: 'shopping' }), // another category
    ]);
    const progress = await engine.progress(userId, b.id);
    expect(progress).toMatchObject({
      period: { start: '2024-03-01', end: '2024-04-01' },
      budgeted: 40_000,
      rolledOver: 0,
      spent: 20_000,
      remaining: 20_000,
      percentUsed: 50,
      daysInPeriod: 31,
      daysElapsed: 16,
      daysLeft: 16,
      // 20,000 / 16 days left = 1,250 a day
      dailyAllowance: 1_250,
      // 20,000 / 16 days × 31 days = 38,750
      projectedSpend: 38_750,
      status: 'on_track',
      ignored: [],
    });
  });

  it.each([
    // [spent, status]: at_risk means not over yet but spent / 16 × 31 > 40,000, i.e. spent > 20,645.
    [20_645, 'on_track', 40_000], // 39,999.69: rounds to the budget, still under it
    [20_646, 'at_risk', 40_002],
    [40_000, 'at_risk', 77_500],
    [40_001, 'over', 77_502],
  ])('spent %i on day 16 of 31 is %s', async (spent, status, projected) => {
    const { engine, sync, budget } = await setup('2024-03-16T12:00:00Z');
    const b = await budget();
    await sync([tx('2024-03-02', -spent)]);
    const progress = await engine.progress(userId, b.id);
    expect(progress.status).toBe(status);
    expect(progress.projectedSpend).toBe(projected);
  });

  it('an all-spending budget never counts income or transfers, and leaves other currencies out, reporting them', async () => {
    const { engine, sync, budget } = await setup();
    const b = await budget({ categoryIds: [] });
    await sync([
      tx('2024-03-02', -1_000, { categoryId: 'shopping' }),
      tx('2024-03-03', -2_000, { categoryId: 'travel' }),
      tx('2024-03-04', 300_000, { categoryId: 'income' }),
      tx('2024-03-05', -100_000, { categoryId: 'transfer' }),
      tx('2024-03-06', -4_000, { categoryId: 'uncategorized' }),
      tx('2024-03-07', -9_999, { currency: 'EUR' }),
      tx('2024-03-08', 999, { currency: 'EUR' }),
    ]);
    const progress = await engine.progress(userId, b.id);
    expect(progress.spent).toBe(7_000);
    expect(progress.ignored).toEqual([{ currency: 'EUR', spent: 9_000, count: 2 }]);
  });

  it('counts a subcategory of a budgeted category', async () => {
    const { engine, store, sync, budget } = await setup();
    const coffee = await store.categories.create(userId, {
      name: 'Coffee',
      kind: 'expense',
      parentId: 'food_and_dining',
    });
    const b = await budget({ categoryIds: ['food_and_dining'] });
    await sync([tx('2024-03-02', -500, { categoryId: coffee.id }), tx('2024-03-02', -700)]);
    expect((await engine.progress(userId, b.id)).spent).toBe(1_200);
  });

  it('pending counts unless configured off; pending → posted is counted once; removed never counts', async () => {
    const { engine, sync, budget } = await setup();
    const withPending = await budget();
    const withoutPending = await budget({ includePending: false });
    await sync([
      tx('2024-03-02', -1_000, { providerTransactionId: 'p1', pending: true }),
      tx('2024-03-03', -2_000),
    ]);
    expect((await engine.progress(userId, withPending.id)).spent).toBe(3_000);
    expect((await engine.progress(userId, withoutPending.id)).spent).toBe(2_000);

    await sync(
      [tx('2024-03-04', -1_100, { providerTransactionId: 'posted1', pendingTransactionId: 'p1' })],
      ['p1'],
    );
    expect((await engine.progress(userId, withPending.id)).spent).toBe(3_100);
    expect((await engine.progress(userId, withoutPending.id)).spent).toBe(3_100);

    await sync([], ['posted1']);
    expect((await engine.progress(userId, withPending.id)).spent).toBe(2_000);
  });

  it('shows a past period by date, with its whole length elapsed', async () => {
    const { engine, sync, budget } = await setup();
    const b = await budget();
    await sync([tx('2024-02-10', -50_000)]);
    const progress = await engine.progress(userId, b.id, { date: '2024-02-20' });
    expect(progress).toMatchObject({
      period: { start: '2024-02-01', end: '2024-03-01' },
      spent: 50_000,
      daysElapsed: 29,
      daysLeft: 0,
      dailyAllowance: 0,
      projectedSpend: 50_000,
      status: 'over',
    });
  });

  it('refuses a date before the budget starts, and a missing budget', async () => {
    const { engine, budget } = await setup();
    const b = await budget({ startDate: '2024-02-15' });
    await expect(engine.progress(userId, b.id, { date: '2024-01-31' })).rejects.toSatisfy((error) =>
      FinkitError.hasCode(error, 'VALIDATION'),
    );
    await expect(engine.progress(userId, 'nope')).rejects.toSatisfy((error) =>
      FinkitError.hasCode(error, 'NOT_FOUND'),
    );
    await expect(engine.progress('someone-else', b.id)).rejects.toSatisfy((error) =>
      FinkitError.hasCode(error, 'NOT_FOUND'),
    );
  });

  it("uses the budget's zone for today: late evening in Honolulu is still the previous month", async () => {
    // 2024-04-01T05:00Z is 2024-03-31 19:00 in Honolulu (UTC−10).
    const { engine, budget } = await setup('2024-04-01T05:00:00Z');
    const honolulu = await budget({ timezone: 'Pacific/Honolulu' });
    const utc = await budget({ timezone: 'UTC' });
    expect((await engine.progress(userId, honolulu.id)).period.start).toBe('2024-03-01');
    expect((await engine.progress(userId, honolulu.id)).daysLeft).toBe(1);
    expect((await engine.progress(userId, utc.id)).period.start).toBe('2024-04-01');
  });
});

describe('rollover', () => {
  it.each([
    {
      name: 'unspent carries, overspending carries as a negative',
      // amount 10,000 a month from January; spent per month Jan..Jun
      spent: [4_000, 12_000, 0, 25_000, 10_000, 1_000],
      // carried into each month: 0; +6,000; +4,000; +14,000; −1,000; −1,000
      rolledOver: [0, 6_000, 4_000, 14_000, -1_000, -1_000],
    },
    {
      name: 'a long run of underspending accumulates',
      spent: [0, 0, 0, 0, 0, 0],
      rolledOver: [0, 10_000, 20_000, 30_000, 40_000, 50_000],
    },
  ])('$name', async ({ spent, rolledOver }) => {
    const { engine, sync, budget } = await setup('2024-07-10T12:00:00Z');
    const b = await budget({ amount: 10_000, rollover: true });
    const months = ['2024-01-15', '2024-02-15', '2024-03-15', '2024-04-15', '2024-05-15', '2024-06-15'];
    await sync(months.flatMap((date, i) => (spent[i] ? [tx(date, -spent[i])] : [])));
    const history = await engine.history(userId, b.id, { periods: 6 });
    expect(history.map((period) => period.period.start)).toEqual(
      months.map((date) => date.replace('15', '01')),
    );
    expect(history.map((period) => period.spent)).toEqual(spent);
    expect(history.map((period) => period.rolledOver)).toEqual(rolledOver);
    for (const period of history) expect(period.budgeted).toBe(10_000 + period.rolledOver);
    const july = await engine.progress(userId, b.id);
    const june = history.at(-1)!;
    expect(july.rolledOver).toBe(june.remaining);
  });

  it('over many weekly periods: the carry equals the total budgeted minus the total spent', async () => {
    const { engine, sync, budget } = await setup('2024-12-31T12:00:00Z');
    const b = await budget({
      amount: 5_000,
      period: 'weekly',
      weekStartsOn: 1,
      rollover: true,
      startDate: '2024-01-01',
    });
    // 2024-01-01 is a Monday; spend on the Wednesday of each week, a varying amount.
    const upserts: SyncTransactionInput[] = [];
    let total = 0;
    for (let week = 0; week < 52; week += 1) {
      const amount = 1_000 + ((week * 997) % 7_000);
      total += amount;
      const day = new Date(Date.UTC(2024, 0, 3 + week * 7)).toISOString().slice(0, 10);
      upserts.push(tx(day, -amount));
    }
    await sync(upserts);
    const progress = await engine.progress(userId, b.id);
    expect(progress.period.start).toBe('2024-12-30');
    expect(progress.rolledOver).toBe(52 * 5_000 - total);
    const history = await engine.history(userId, b.id, { periods: 3 });
    expect(history).toHaveLength(3);
    expect(history.at(-1)!.period).toEqual({ start: '2024-12-23', end: '2024-12-30' });
  });

  it('an ended budget shows its last period and its history ends there; one not started shows its first', async () => {
    const { engine, sync, budget } = await setup('2024-06-10T12:00:00Z');
    const ended = await budget({ startDate: '2024-01-20', endDate: '2024-03-05' });
    const future = await budget({ startDate: '2024-08-02' });
    await sync([tx('2024-03-04', -1_000)]);
    expect(await engine.progress(userId, ended.id)).toMatchObject({
      period: { start: '2024-03-01', end: '2024-04-01' },
      spent: 1_000,
      daysLeft: 0,
    });
    expect((await engine.history(userId, ended.id, { periods: 12 })).map((p) => p.period.start)).toEqual([
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
    ]);
    expect(await engine.progress(userId, future.id)).toMatchObject({
      period: { start: '2024-08-01', end: '2024-09-01' },
      daysElapsed: 0,
      daysLeft: 31,
      status: 'on_track',
    });
    expect(await engine.history(userId, future.id)).toEqual([]);
    expect(await engine.progressAll(userId)).toEqual([]);
  });

  it('without rollover nothing carries', async () => {
    const { engine, sync, budget } = await setup('2024-03-10T12:00:00Z');
    const b = await budget({ amount: 10_000 });
    await sync([tx('2024-01-10', -1_000), tx('2024-02-10', -30_000)]);
    const history = await engine.history(userId, b.id);
    expect(history.map((period) => [period.rolledOver, period.spent])).toEqual([
      [0, 1_000],
      [0, 30_000],
    ]);
    expect((await engine.progress(userId, b.id)).rolledOver).toBe(0);
  });
});

describe('threshold alerts', () => {
  const crossings = (published: FinkitEvent[]) =>
    published.flatMap((event) =>
      event.type === 'budget.threshold_crossed' ? [`${event.data.periodStart}:${event.data.threshold}`] : [],
    );

  it('fire once per budget, period and threshold, however often and however concurrently evaluated', async () => {
    const { engine, sync, budget, published, store, clock } = await setup('2024-03-16T12:00:00Z');
    const b = await budget({ amount: 10_000, thresholds: [50, 80, 100] });
    await sync([tx('2024-03-02', -5_500, { providerTransactionId: 'a' })]);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => engine.evaluateBudgets(userId)));
    expect(results.flat().map((event) => event.data.threshold)).toEqual([50]);
    expect(crossings(published)).toEqual(['2024-03-01:50']);

    // Spending moves down below 50% and back up: no second alert.
    await sync([tx('2024-03-02', -1_000, { providerTransactionId: 'a' })]);
    await engine.evaluateBudgets(userId);
    await sync([tx('2024-03-02', -8_500, { providerTransactionId: 'a' })]);
    await Promise.all([engine.evaluateBudgets(userId), engine.evaluateBudgets(userId)]);
    expect(crossings(published)).toEqual(['2024-03-01:50', '2024-03-01:80']);

    await sync([tx('2024-03-03', -2_000)]);
    const last = await engine.evaluateBudgets(userId);
    expect(last[0]?.data).toEqual({
      budgetId: b.id,
      periodStart: '2024-03-01',
      threshold: 100,
      spent: 10_500,
      budgeted: 10_000,
      currency: 'USD',
    });
    expect(crossings(published)).toEqual(['2024-03-01:50', '2024-03-01:80', '2024-03-01:100']);

    // A fresh engine (a restart) over the same store does not repeat them.
    const restarted = createBudgetEngine({ store, events: createMemoryEventBus(), clock });
    expect(await restarted.evaluateBudgets(userId)).toEqual([]);
  });

  it('fire once when several engines (processes) over one store evaluate at the same time', async () => {
    const { engine, sync, budget, store, clock } = await setup('2024-03-16T12:00:00Z');
    await budget({ amount: 10_000, thresholds: [50, 100] });
    await sync([tx('2024-03-02', -10_000)]);
    const others = [1, 2, 3].map(() => createBudgetEngine({ store, events: createMemoryEventBus(), clock }));
    const results = await Promise.all([engine, ...others, engine].map((e) => e.evaluateBudgets(userId)));
    expect(results.flat().map((event) => event.data.threshold)).toEqual([50, 100]);
  });

  it('fire again in the next period', async () => {
    const { engine, sync, budget, published, clock } = await setup('2024-03-16T12:00:00Z');
    await budget({ amount: 10_000, thresholds: [80] });
    await sync([tx('2024-03-02', -9_000), tx('2024-04-02', -9_000)]);
    await engine.evaluateBudgets(userId);
    clock.at = new Date('2024-04-05T12:00:00Z');
    await engine.evaluateBudgets(userId);
    await engine.evaluateBudgets(userId);
    expect(crossings(published)).toEqual(['2024-03-01:80', '2024-04-01:80']);
  });

  it('skip budgets that have ended or not started', async () => {
    const { engine, sync, budget, published } = await setup('2024-03-16T12:00:00Z');
    await budget({ amount: 100, endDate: '2024-02-15' });
    await budget({ amount: 100, startDate: '2024-05-01' });
    await sync([tx('2024-03-02', -9_000)]);
    expect(await engine.evaluateBudgets(userId)).toEqual([]);
    expect(published).toEqual([]);
  });
});

describe('suggestions', () => {
  it('suggest the median of the complete months per expense category', async () => {
    const { engine, sync } = await setup('2024-07-10T12:00:00Z');
    // Food: Jan..Jun = 300, 100, 900, 200, 50_000 (a party), 400 → sorted 100 200 300 400 900 50,000;
    // median = (300 + 400) / 2 = 350. Shopping only in March: median of 0,0,0,0,0,1,000 = 0 → none.
    // July is incomplete and ignored; income never suggested.
    const food = [300, 100, 900, 200, 50_000, 400];
    await sync([
      ...food.map((amount, i) => tx(`2024-0${i + 1}-12`, -amount)),
      tx('2024-03-03', -1_000, { categoryId: 'shopping' }),
      tx('2024-07-03', -99_000),
      tx('2024-02-01', 500_000, { categoryId: 'income' }),
    ]);
    const suggestions = await engine.suggestions(userId);
    expect(suggestions).toEqual([
      {
        categoryId: 'food_and_dining',
        categoryName: 'Food & Dining',
        currency: 'USD',
        period: 'monthly',
        amount: 350,
        monthly: food.map((spent, i) => ({ month: `2024-0${i + 1}`, spent })),
      },
    ]);
    // Over the last 3 months only: 200, 50,000, 400 → 400.
    expect((await engine.suggestions(userId, { months: 3 }))[0]?.amount).toBe(400);
  });

  it('need three complete months of history', async () => {
    const { engine, sync } = await setup('2024-07-10T12:00:00Z');
    await sync([tx('2024-05-12', -100), tx('2024-06-12', -100)]);
    expect(await engine.suggestions(userId)).toEqual([]);
    await sync([tx('2024-04-30', -100)]);
    expect((await engine.suggestions(userId))[0]?.amount).toBe(100);
  });
});

describe('one aggregate query per call', () => {
  /** The setup's store with its aggregate calls counted. */
  async function countingSetup(now: string) {
    const context = await setup(now);
    const queries: string[] = [];
    const aggregate = context.store.transactions.aggregate;
    context.store.transactions.aggregate = (user, query) => {
      queries.push(query.groupBy);
      return aggregate(user, query);
    };
    let categoryReads = 0;
    const listCategories = context.store.categories.list;
    context.store.categories.list = (user) => {
      categoryReads += 1;
      return listCategories(user);
    };
    const engine = createBudgetEngine({
      store: context.store,
      events: createMemoryEventBus(),
      clock: context.clock,
    });
    return { ...context, engine, queries, categoryReads: () => categoryReads };
  }

  /** Deterministic transactions over ten months: pending ones, EUR ones, four categories. */
  function history(): SyncTransactionInput[] {
    const categories = ['food_and_dining', 'shopping', 'travel', 'income'];
    return Array.from({ length: 400 }, (_, i) =>
      tx(
        addDays('2023-06-01', Math.floor((i * 293) / 400)),
        i % 9 === 0 ? 3_000 : -(100 + ((i * 7_919) % 5_000)),
        {
          categoryId: categories[i % categories.length]!,
          pending: i % 6 === 1,
          currency: i % 11 === 0 ? 'EUR' : 'USD',
        },
      ),
    );
  }

  /** Spending of a budget in a period, summed here from the raw inputs. */
  function spentIn(
    rows: readonly SyncTransactionInput[],
    budget: Budget,
    counted: readonly string[],
    period: { start: string; end: string },
  ): number {
    let spent = 0;
    for (const row of rows) {
      if (row.date < period.start || row.date >= period.end) continue;
      if (!counted.includes(row.categoryId) || row.currency !== budget.currency) continue;
      if (row.pending && !budget.includePending) continue;
      spent -= row.amount;
    }
    return spent;
  }

  it('evaluating a user without running budgets reads no spending', async () => {
    const { engine, sync, budget, queries, categoryReads } = await countingSetup('2024-03-20T12:00:00Z');
    await sync(history());
    await budget({ startDate: '2024-06-01' });
    expect(await engine.evaluateBudgets(userId)).toEqual([]);
    expect(await engine.progressAll(userId)).toEqual([]);
    expect(queries, 'aggregates').toEqual([]);
    expect(categoryReads(), 'category reads').toBe(0);
  });

  it('progressAll reads every budget and period, rollover chains included, with one aggregate', async () => {
    const { engine, sync, budget, queries } = await countingSetup('2024-03-20T12:00:00Z');
    const rows = history();
    await sync(rows);
    const expense = ['food_and_dining', 'shopping', 'travel'];
    const budgets = [
      await budget({ categoryIds: ['food_and_dining'], rollover: true, startDate: '2023-06-01' }),
      await budget({ categoryIds: ['shopping', 'travel'], includePending: false, periodStartDay: 15 }),
      await budget({
        categoryIds: [],
        period: 'weekly',
        weekStartsOn: 3,
        rollover: true,
        startDate: '2024-01-03',
      }),
      await budget({ categoryIds: ['travel'], period: 'quarterly', timezone: 'Pacific/Auckland' }),
      await budget({
        categoryIds: ['food_and_dining'],
        currency: 'EUR',
        rollover: true,
        startDate: '2023-09-01',
      }),
      await budget({ categoryIds: ['income'] }),
    ];
    const all = await engine.progressAll(userId);
    expect(queries, 'one categoryDay aggregate for six budgets').toEqual(['categoryDay']);
    expect(all.map((p) => p.budgetId)).toEqual(budgets.map((b) => b.id));
    for (const [index, b] of budgets.entries()) {
      const progress = all[index]!;
      const counted =
        b.categoryIds.length === 0 ? expense : b.categoryIds.filter((id) => expense.includes(id));
      expect(progress.spent, `budget ${index} spent`).toBe(spentIn(rows, b, counted, progress.period));
      let carry = 0;
      if (b.rollover) {
        for (
          let period = budgetPeriodContaining(b, b.startDate);
          period.start < progress.period.start;
          period = nextBudgetPeriod(b, period)
        ) {
          carry += b.amount - spentIn(rows, b, counted, period);
        }
      }
      expect(progress.rolledOver, `budget ${index} carried`).toBe(carry);
    }
    expect(all[0]!.rolledOver, 'the chain carries something').not.toBe(0);
    expect(all[4]!.spent, 'the EUR budget counts EUR rows').not.toBe(0);
    expect(all[5]!.spent, 'income never counts').toBe(0);

    queries.length = 0;
    await engine.evaluateBudgets(userId);
    expect(queries, 'evaluateBudgets').toEqual(['categoryDay']);
    queries.length = 0;
    const one = await engine.progress(userId, budgets[0]!.id);
    expect(one, 'progress of one budget equals its progressAll entry').toEqual(all[0]);
    expect(queries, 'progress of a rollover budget').toEqual(['categoryDay']);
    queries.length = 0;
    expect(await engine.progress(userId, budgets[1]!.id), 'one period, pending off').toEqual(all[1]);
    expect(queries, 'one period needs no per-day rows').toEqual(['category']);
    queries.length = 0;
    const past = await engine.history(userId, budgets[0]!.id, { periods: 8 });
    expect(queries, 'history').toEqual(['categoryDay']);
    expect(past.map((p) => p.spent)).toEqual(
      past.map((p) => spentIn(rows, budgets[0]!, ['food_and_dining'], p.period)),
    );
    queries.length = 0;
    await engine.suggestions(userId);
    expect(queries, 'suggestions').toEqual(['categoryDay']);
  });
});

describe('one round trip per progress read', () => {
  /** The setup's store with snapshot and aggregate reads recorded in order. */
  async function recordingSetup(now: string) {
    const context = await setup(now);
    const reads: string[] = [];
    const { budgets, transactions } = context.store;
    const snapshot = budgets.snapshot!.bind(budgets);
    const aggregate = transactions.aggregate.bind(transactions);
    let insideSnapshot = false;
    budgets.snapshot = (user, id, query) => {
      reads.push(`snapshot:${query?.groupBy ?? 'none'}`);
      // The memory store's snapshot calls aggregate synchronously: that call is part of this read.
      insideSnapshot = true;
      try {
        return snapshot(user, id, query);
      } finally {
        insideSnapshot = false;
      }
    };
    transactions.aggregate = (user, query) => {
      if (!insideSnapshot) reads.push(`aggregate:${query.groupBy}`);
      return aggregate(user, query);
    };
    const takeReads = () => reads.splice(0);
    return { ...context, takeReads };
  }

  it('a repeated read is one snapshot; a changed budget, category tree or period reads again, correctly', async () => {
    const { engine, store, clock, sync, budget, takeReads } = await recordingSetup('2024-03-16T12:00:00Z');
    await sync([
      tx('2024-03-02', -1_000),
      tx('2024-03-05', -2_500, { pending: true }),
      tx('2024-02-20', -700),
    ]);
    const food = await budget({ categoryIds: ['food_and_dining'] });
    // An engine that has never read this budget answers every step afresh, for comparison.
    const fresh = () =>
      createBudgetEngine({ store, events: createMemoryEventBus(), clock }).progress(userId, food.id);

    const first = await engine.progress(userId, food.id);
    expect(first.spent).toBe(3_500);
    expect(takeReads(), 'first read').toEqual(['snapshot:none', 'aggregate:category']);
    expect(await engine.progress(userId, food.id)).toEqual(first);
    expect(takeReads(), 'second read').toEqual(['snapshot:category']);

    await sync([tx('2024-03-10', -400)]);
    const withNewRow = await engine.progress(userId, food.id);
    expect(withNewRow.spent, 'new rows are in the snapshot').toBe(3_900);
    expect(takeReads()).toEqual(['snapshot:category']);

    const snacks = await store.categories.create(userId, {
      name: 'Snacks',
      kind: 'expense',
      parentId: 'food_and_dining',
    });
    await sync([tx('2024-03-11', -50, { categoryId: snacks.id })]);
    const withChild = await engine.progress(userId, food.id);
    expect(withChild.spent, 'a new subcategory counts at once').toBe(3_950);
    expect(takeReads(), 'the category tree changed').toEqual(['snapshot:category', 'aggregate:category']);

    await store.budgets.update(userId, food.id, { includePending: false });
    const posted = await engine.progress(userId, food.id);
    expect(posted.spent, 'pending left out once configured').toBe(1_450);
    expect(takeReads()).toEqual(['snapshot:category', 'aggregate:category']);
    takeReads();
    expect(posted).toEqual(await fresh());
    takeReads();

    clock.at = new Date('2024-04-02T12:00:00Z');
    await sync([tx('2024-04-01', -800)]);
    const april = await engine.progress(userId, food.id);
    expect(april.period.start).toBe('2024-04-01');
    expect(april.spent, 'the new period').toBe(800);
    expect(takeReads()).toEqual(['snapshot:category', 'aggregate:category']);
    takeReads();
    expect(april).toEqual(await fresh());

    await store.budgets.delete(userId, food.id);
    await expect(engine.progress(userId, food.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('history reads are remembered apart from progress reads', async () => {
    const { engine, sync, budget, takeReads } = await recordingSetup('2024-03-16T12:00:00Z');
    await sync([tx('2024-01-02', -1_000), tx('2024-02-05', -2_500), tx('2024-03-01', -300)]);
    const food = await budget({ categoryIds: ['food_and_dining'], rollover: true });
    const past = await engine.history(userId, food.id);
    expect(past.map((period) => period.spent)).toEqual([1_000, 2_500]);
    await engine.progress(userId, food.id);
    takeReads();
    expect(await engine.history(userId, food.id)).toEqual(past);
    await engine.progress(userId, food.id);
    expect(takeReads(), 'each kind reuses its own query').toEqual([
      'snapshot:categoryDay',
      'snapshot:categoryDay',
    ]);
  });
});
