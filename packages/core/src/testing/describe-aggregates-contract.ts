import { expect } from 'vitest';
import type { AggregateGroup, AggregateRow } from '../ports/store.js';
import type { TransactionFilter } from '../schemas/transaction.js';
import { type ContractHarness, seedAccounts, seedUser, syncTransaction } from './store-contract-fixtures.js';

interface Row {
  providerTransactionId: string;
  date: string;
  amount: number;
  currency: string;
  categoryId: string;
  merchantName: string | null;
  description: string;
  pending: boolean;
}

/** `categoryDay` totals computed here, in the order the port documents. */
function expectedDayTotals(rows: readonly Row[]): AggregateRow[] {
  const groups = new Map<string, AggregateRow>();
  for (const row of rows) {
    const id = JSON.stringify([row.categoryId, row.date, row.pending, row.currency]);
    const group = groups.get(id) ?? {
      key: row.categoryId,
      date: row.date,
      pending: row.pending,
      currency: row.currency,
      inflow: 0,
      outflow: 0,
      count: 0,
    };
    groups.set(id, {
      ...group,
      inflow: group.inflow + Math.max(row.amount, 0),
      outflow: group.outflow + Math.min(row.amount, 0),
      count: group.count + 1,
    });
  }
  const order = (row: AggregateRow) =>
    [row.key, row.date ?? '', row.pending ? '1' : '0', row.currency].join('\u0000');
  return [...groups.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Totals computed here from the seeded inputs, independently of any store. */
function expectedTotals(rows: readonly Row[], groupBy: AggregateGroup): AggregateRow[] {
  const groups = new Map<string, AggregateRow>();
  for (const row of rows) {
    const key =
      groupBy === 'category'
        ? row.categoryId
        : groupBy === 'month'
          ? row.date.slice(0, 7)
          : groupBy === 'merchant'
            ? (row.merchantName ?? row.description)
            : 'all';
    const id = JSON.stringify([key, row.currency]);
    const group = groups.get(id) ?? { key, currency: row.currency, inflow: 0, outflow: 0, count: 0 };
    groups.set(id, {
      ...group,
      inflow: group.inflow + Math.max(row.amount, 0),
      outflow: group.outflow + Math.min(row.amount, 0),
      count: group.count + 1,
    });
  }
  return sorted([...groups.values()]);
}

function sorted(rows: readonly AggregateRow[]): AggregateRow[] {
  return [...rows].sort((a, b) =>
    a.key === b.key ? (a.currency < b.currency ? -1 : 1) : a.key < b.key ? -1 : 1,
  );
}

export function describeAggregatesContract(harness: ContractHarness): void {
  const { test } = harness;

  test('totals per group and currency equal sums of the seeded rows, without removed and hidden ones', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 40);
    const removed = ['tx-0003', 'tx-0013'];
    const hidden = ['tx-0006', 'tx-0011'];
    await store.applySyncBatch(seeded.batch({ removed }));
    await store.transactions.edit(
      seeded.userId,
      hidden.map((p) => ({ id: seeded.rows.get(p)!.id, fields: { hidden: true } })),
      'user',
    );
    const kept = seeded.inputs.filter((i) => !removed.includes(i.providerTransactionId));
    const visible = kept.filter((i) => !hidden.includes(i.providerTransactionId));
    expect(new Set(visible.map((i) => i.currency)), 'the seed spans two currencies').toEqual(
      new Set(['USD', 'EUR']),
    );
    for (const groupBy of ['none', 'category', 'month', 'merchant'] as const) {
      const actual = await store.transactions.aggregate(seeded.userId, { groupBy });
      expect(sorted(actual), `groupBy ${groupBy}`).toEqual(expectedTotals(visible, groupBy));
      const withHidden = await store.transactions.aggregate(seeded.userId, {
        groupBy,
        filter: { includeHidden: true },
      });
      expect(sorted(withHidden), `groupBy ${groupBy} with includeHidden`).toEqual(
        expectedTotals(kept, groupBy),
      );
    }
  });

  test('aggregate applies the filter before summing', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 30);
    const filter: TransactionFilter = { from: '2024-03-22', categoryIds: ['food_and_dining', 'income'] };
    const rows = seeded.inputs.filter(
      (i) => i.date >= '2024-03-22' && ['food_and_dining', 'income'].includes(i.categoryId),
    );
    expect(rows.length, 'the filter selects some seeded rows').toBeGreaterThan(2);
    const actual = await store.transactions.aggregate(seeded.userId, { groupBy: 'category', filter });
    expect(sorted(actual)).toEqual(expectedTotals(rows, 'category'));
    const none = await store.transactions.aggregate(seeded.userId, {
      groupBy: 'none',
      filter: { from: '2031-01-01' },
    });
    expect(none, 'no matching rows, no groups').toEqual([]);
  });

  test('outflow is the sum of negative amounts (≤ 0) and inflow of positive ones, in integer minor units', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 8);
    const [row] = await store.transactions.aggregate(seeded.userId, {
      groupBy: 'none',
      filter: { accountIds: [seeded.accounts.find((a) => a.currency === 'USD')!.id] },
    });
    expect(row, 'one USD group').toBeDefined();
    expect(Number.isSafeInteger(row!.inflow) && Number.isSafeInteger(row!.outflow), 'integers').toBe(true);
    expect(row!.outflow, 'outflow ≤ 0').toBeLessThanOrEqual(0);
    expect(row!.inflow, 'inflow ≥ 0').toBeGreaterThanOrEqual(0);
  });

  test('categoryDay: one row per category, date, pending flag and currency, summed and ordered', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 40);
    // Twins of seeded rows on the same day and category: some share the pending flag (summed into
    // one group), some flip it (a group of their own), one is in the other currency.
    const twins = [0, 1, 4, 9, 14, 20].map((i) => {
      const input = seeded.inputs[i]!;
      const flip = i % 2 === 1;
      return syncTransaction(`${input.providerTransactionId}-twin`, input.providerAccountId, {
        date: input.date,
        categoryId: input.categoryId,
        amount: i === 20 ? 7_700 : -(300 + i * 11),
        currency: input.currency,
        pending: flip ? !input.pending : input.pending,
      });
    });
    const euroTwin = syncTransaction('tx-0002-euro', seedAccounts.euro, {
      date: seeded.inputs[2]!.date,
      categoryId: seeded.inputs[2]!.categoryId,
      amount: -999,
      currency: 'EUR',
    });
    const removed = ['tx-0005', 'tx-0009-twin'];
    const hidden = ['tx-0008', 'tx-0014-twin'];
    await store.applySyncBatch(seeded.batch({ upserts: [...twins, euroTwin], removed }));
    const stored = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, hidden);
    await store.transactions.edit(
      seeded.userId,
      stored.map((row) => ({ id: row.id, fields: { hidden: true } })),
      'user',
    );
    const all: Row[] = [...seeded.inputs, ...twins, euroTwin].filter(
      (i) => !removed.includes(i.providerTransactionId),
    );
    const visible = all.filter((i) => !hidden.includes(i.providerTransactionId));
    const expected = expectedDayTotals(visible);
    expect(
      expected.some((row) => row.count > 1),
      'some groups sum more than one row',
    ).toBe(true);
    expect(
      expected.some((a) =>
        expected.some((b) => a.key === b.key && a.date === b.date && a.pending !== b.pending),
      ),
      'some category and day has pending and posted groups',
    ).toBe(true);

    const actual = await store.transactions.aggregate(seeded.userId, { groupBy: 'categoryDay' });
    expect(actual, 'every group, in the documented order').toEqual(expected);
    expect(
      await store.transactions.aggregate(seeded.userId, {
        groupBy: 'categoryDay',
        filter: { includeHidden: true },
      }),
      'with includeHidden',
    ).toEqual(expectedDayTotals(all));

    const filter: TransactionFilter = {
      from: '2024-03-18',
      to: '2024-03-30',
      categoryIds: ['food_and_dining', 'shopping'],
      pending: false,
    };
    const inFilter = visible.filter(
      (i) =>
        i.date >= '2024-03-18' &&
        i.date <= '2024-03-30' &&
        ['food_and_dining', 'shopping'].includes(i.categoryId) &&
        !i.pending,
    );
    expect(inFilter.length, 'the filter selects some rows').toBeGreaterThan(2);
    expect(
      await store.transactions.aggregate(seeded.userId, { groupBy: 'categoryDay', filter }),
      'filtered before grouping',
    ).toEqual(expectedDayTotals(inFilter));

    // Summing the days of a range gives what the per-category grouping gives for that range.
    const range: TransactionFilter = { from: '2024-03-20', to: '2024-03-28' };
    const perDay = await store.transactions.aggregate(seeded.userId, {
      groupBy: 'categoryDay',
      filter: range,
    });
    const rolledUp = new Map<string, AggregateRow>();
    for (const row of perDay) {
      const id = JSON.stringify([row.key, row.currency]);
      const sum = rolledUp.get(id) ?? {
        key: row.key,
        currency: row.currency,
        inflow: 0,
        outflow: 0,
        count: 0,
      };
      rolledUp.set(id, {
        ...sum,
        inflow: sum.inflow + row.inflow,
        outflow: sum.outflow + row.outflow,
        count: sum.count + row.count,
      });
    }
    expect(sorted([...rolledUp.values()]), 'days add up to the category totals').toEqual(
      sorted(await store.transactions.aggregate(seeded.userId, { groupBy: 'category', filter: range })),
    );
  });

  test('rows of other groupings carry no date or pending field', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 10);
    for (const groupBy of ['none', 'category', 'month', 'merchant'] as const) {
      for (const row of await store.transactions.aggregate(seeded.userId, { groupBy })) {
        expect(Object.keys(row).sort(), `groupBy ${groupBy}`).toEqual([
          'count',
          'currency',
          'inflow',
          'key',
          'outflow',
        ]);
      }
    }
  });
}
