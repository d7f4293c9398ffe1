import { expect } from 'vitest';
import type { Store } from '../ports/store.js';
import type { Transaction, TransactionFilter } from '../schemas/transaction.js';
import {
  addDays,
  type ContractHarness,
  expectFinkitError,
  type SeededUser,
  seedAccounts,
  seedUser,
  syncTransaction,
} from './store-contract-fixtures.js';

/** True when `a` comes strictly before `b` in (date desc, id desc) order. */
const before = (a: Transaction, b: Transaction): boolean =>
  a.date > b.date || (a.date === b.date && a.id > b.id);

async function readAll(
  store: Store,
  userId: string,
  filter: TransactionFilter,
  limit: number,
): Promise<Transaction[]> {
  const rows: Transaction[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.transactions.list(userId, filter, { limit, cursor });
    expect(page.items.length, `page ${pages} holds at most ${limit} rows`).toBeLessThanOrEqual(limit);
    rows.push(...page.items);
    if (page.nextCursor === null) return rows;
    cursor = page.nextCursor;
  }
  throw new Error('list never returned a null nextCursor');
}

/** Seeds rows, then gives one a note with a literal % and hides another. */
async function seedForFilters(store: Store): Promise<{ seeded: SeededUser; rows: Transaction[] }> {
  const seeded = await seedUser(store, 28);
  await store.transactions.edit(
    seeded.userId,
    [
      { id: seeded.rows.get('tx-0005')!.id, fields: { notes: 'Dinner 50% off' } },
      { id: seeded.rows.get('tx-0008')!.id, fields: { hidden: true } },
      { id: seeded.rows.get('tx-0010')!.id, fields: { notes: 'Dinner 500 total' } },
    ],
    'user',
  );
  await store.applySyncBatch(seeded.batch({ removed: ['tx-0009'] }));
  const rows = await store.transactions.getByProviderIds(
    seeded.userId,
    seeded.connection.id,
    seeded.inputs.map((i) => i.providerTransactionId),
  );
  return { seeded, rows };
}

export function describePaginationContract(harness: ContractHarness): void {
  const { test } = harness;

  test('list orders by date desc, then id desc, and leaves out removed and hidden rows', async () => {
    const { store } = harness;
    const { seeded, rows } = await seedForFilters(store);
    const page = await store.transactions.list(seeded.userId, {}, { limit: 1000 });
    expect(page.nextCursor, 'one page holds everything').toBeNull();
    const expected = rows.filter((r) => r.removedAt === null && !r.hidden);
    expect(page.items.map((r) => r.id).sort(), 'visible rows').toEqual(expected.map((r) => r.id).sort());
    for (let i = 1; i < page.items.length; i++) {
      const [a, b] = [page.items[i - 1]!, page.items[i]!];
      expect(before(a, b), `row ${i - 1} (${a.date} ${a.id}) before row ${i} (${b.date} ${b.id})`).toBe(true);
    }
  });

  test('pages of any size, read in turn, give exactly the rows of one big page', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 25);
    const full = await store.transactions.list(seeded.userId, {}, { limit: 1000 });
    for (const limit of [1, 2, 7, 25, 26]) {
      const rows = await readAll(store, seeded.userId, {}, limit);
      expect(
        rows.map((r) => r.id),
        `pages of ${limit}`,
      ).toEqual(full.items.map((r) => r.id));
    }
  });

  test('rows inserted between page reads never make a row appear twice or go missing', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 30);
    const original = new Set(
      (await store.transactions.list(seeded.userId, {}, { limit: 1000 })).items.map((r) => r.id),
    );
    const seen: Transaction[] = [];
    const mustSee = new Set<string>();
    let cursor: string | null = null;
    let round = 0;
    do {
      const page = await store.transactions.list(seeded.userId, {}, { limit: 5, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
      const last = seen.at(-1);
      if (cursor === null || last === undefined) break;
      round += 1;
      // Inside the read range, on the boundary date, just past it, and newer than everything.
      const inserts = [
        syncTransaction(`ins-${round}-read`, seedAccounts.checking, { date: addDays(last.date, 1) }),
        syncTransaction(`ins-${round}-same-a`, seedAccounts.checking, { date: last.date }),
        syncTransaction(`ins-${round}-same-b`, seedAccounts.savings, { date: last.date }),
        syncTransaction(`ins-${round}-older`, seedAccounts.savings, { date: addDays(last.date, -1) }),
        syncTransaction(`ins-${round}-newest`, seedAccounts.checking, { date: '2030-01-01' }),
      ];
      const result = await store.applySyncBatch(seeded.batch({ upserts: inserts }));
      const olderId = (
        await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, [`ins-${round}-older`])
      )[0]?.id;
      expect(result.added, 'inserts applied').toHaveLength(inserts.length);
      if (olderId !== undefined) mustSee.add(olderId);
    } while (round < 100);
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size, 'no row appears twice').toBe(ids.length);
    const missing = [...original].filter((id) => !ids.includes(id));
    expect(missing, 'rows present at the start that no page returned').toEqual([]);
    const missed = [...mustSee].filter((id) => !ids.includes(id));
    expect(missed, 'rows inserted after the cursor position that no page returned').toEqual([]);
    for (let i = 1; i < seen.length; i++) {
      expect(before(seen[i - 1]!, seen[i]!), `pages keep (date desc, id desc) order at row ${i}`).toBe(true);
    }
  });

  test('a malformed cursor or a limit outside 1..1000 is VALIDATION', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 3);
    const garbage = Buffer.from('{"not":"a cursor"}').toString('base64url');
    for (const cursor of ['not a cursor!', garbage, 'AAAA']) {
      await expectFinkitError(
        () => store.transactions.list(seeded.userId, {}, { limit: 10, cursor }),
        'VALIDATION',
        `cursor ${JSON.stringify(cursor)}`,
      );
    }
    for (const limit of [0, -1, 1001, 1.5]) {
      await expectFinkitError(
        () => store.transactions.list(seeded.userId, {}, { limit }),
        'VALIDATION',
        `limit ${limit}`,
      );
    }
    expect((await store.transactions.list(seeded.userId, {}, { limit: 1000 })).items).toHaveLength(3);
  });

  test('every filter selects exactly the rows it describes', async () => {
    const { store } = harness;
    const { seeded, rows } = await seedForFilters(store);
    const accountId = (providerAccountId: string) =>
      seeded.accounts.find((a) => a.providerAccountId === providerAccountId)!.id;
    const visible = rows.filter((r) => r.removedAt === null);
    const cases: [string, TransactionFilter, (r: Transaction) => boolean][] = [
      ['no filter', {}, (r) => !r.hidden],
      ['includeHidden', { includeHidden: true }, () => true],
      ['from', { from: '2024-03-25' }, (r) => !r.hidden && r.date >= '2024-03-25'],
      ['to', { to: '2024-03-25' }, (r) => !r.hidden && r.date <= '2024-03-25'],
      [
        'from and to, one day',
        { from: '2024-03-30', to: '2024-03-30' },
        (r) => !r.hidden && r.date === '2024-03-30',
      ],
      [
        'accountIds',
        { accountIds: [accountId(seedAccounts.euro), accountId(seedAccounts.savings)] },
        (r) => !r.hidden && r.accountId !== accountId(seedAccounts.checking),
      ],
      ['connectionId', { connectionId: seeded.connection.id }, (r) => !r.hidden],
      [
        'categoryIds',
        { categoryIds: ['income', 'shopping'] },
        (r) => !r.hidden && ['income', 'shopping'].includes(r.categoryId),
      ],
      ['minAmount', { minAmount: -1_200 }, (r) => !r.hidden && r.amount >= -1_200],
      ['maxAmount', { maxAmount: -1_200 }, (r) => !r.hidden && r.amount <= -1_200],
      [
        'minAmount = maxAmount',
        { minAmount: -1_037, maxAmount: -1_037 },
        (r) => !r.hidden && r.amount === -1_037,
      ],
      ['pending', { pending: true }, (r) => !r.hidden && r.pending],
      ['not pending', { pending: false }, (r) => !r.hidden && !r.pending],
      [
        'tags (has all)',
        { tags: ['work', 'trip'] },
        (r) => !r.hidden && r.tags.includes('work') && r.tags.includes('trip'),
      ],
      ['one tag', { tags: ['work'] }, (r) => !r.hidden && r.tags.includes('work')],
      [
        'text in description, any case',
        { text: 'coffee' },
        (r) => !r.hidden && r.description.includes('COFFEE'),
      ],
      [
        'text in merchant name',
        { text: 'BLUE bottle' },
        (r) => !r.hidden && r.merchantName === 'Blue Bottle',
      ],
      ['text in notes', { text: 'dinner' }, (r) => !r.hidden && (r.notes ?? '').startsWith('Dinner')],
      ['text with a literal %', { text: '50%' }, (r) => !r.hidden && r.notes === 'Dinner 50% off'],
      ['text with a literal _', { text: 'E_1' }, () => false],
      ['empty lists restrict nothing', { accountIds: [], categoryIds: [], tags: [] }, (r) => !r.hidden],
      [
        'combined',
        { from: '2024-03-20', categoryIds: ['food_and_dining'], maxAmount: 0, includeHidden: true },
        (r) => r.date >= '2024-03-20' && r.categoryId === 'food_and_dining' && r.amount <= 0,
      ],
    ];
    for (const [what, filter, predicate] of cases) {
      const expected = visible
        .filter(predicate)
        .map((r) => r.id)
        .sort();
      const page = await store.transactions.list(seeded.userId, filter, { limit: 1000 });
      expect(page.items.map((r) => r.id).sort(), `filter ${what}: ${JSON.stringify(filter)}`).toEqual(
        expected,
      );
      if (['text with a literal %', 'text in notes', 'pending', 'tags (has all)'].includes(what)) {
        expect(expected.length, `filter ${what} selects some rows`).toBeGreaterThan(0);
      }
    }
  });
}
