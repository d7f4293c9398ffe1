import { expect } from 'vitest';
import type { AggregateGroup, AggregateRow } from '../ports/store.js';
import type { TransactionFilter } from '../schemas/transaction.js';
import { type ContractHarness, seedUser } from './store-contract-fixtures.js';

interface Row {
  providerTransactionId: string;
  date: string;
  amount: number;
  currency: string;
  categoryId: string;
  merchantName: string | null;
  description: string;
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
}
