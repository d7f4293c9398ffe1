import { expect } from 'vitest';
import {
  type ContractHarness,
  expectFinkitError,
  providerAccount,
  readConnection,
  seedAccounts,
  seedUser,
  syncedAt,
  syncTransaction,
  uniqueId,
} from './store-contract-fixtures.js';

export function describeSyncBatchContract(harness: ContractHarness): void {
  const { test } = harness;

  test('applySyncBatch writes accounts, transactions, the cursor and lastSyncedAt', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 0);
    const { userId, connection } = seeded;
    const at = new Date(Date.UTC(2024, 5, 2, 8));
    const result = await store.applySyncBatch(
      seeded.batch({
        expectedCursor: 'cursor-seed',
        nextCursor: 'cursor-2',
        accounts: [providerAccount('acc-new', 'USD', 4_200)],
        upserts: [
          syncTransaction('t-1', 'acc-new', { amount: -250 }),
          syncTransaction('t-2', seedAccounts.checking),
        ],
        syncedAt: at,
      }),
    );
    const rows = await store.transactions.getByProviderIds(userId, connection.id, ['t-1', 't-2']);
    expect(rows, 'both rows stored').toHaveLength(2);
    expect([...result.added].sort(), 'added names the new rows').toEqual(rows.map((r) => r.id).sort());
    expect(result.modified, 'nothing modified').toEqual([]);
    expect(result.removed, 'nothing removed').toEqual([]);
    const t1 = rows.find((r) => r.providerTransactionId === 't-1')!;
    const account = (await store.accounts.list(userId)).find((a) => a.providerAccountId === 'acc-new');
    expect(account?.balances.current, 'new account with its balance').toBe(4_200);
    expect(t1).toMatchObject({
      userId,
      connectionId: connection.id,
      accountId: account?.id,
      amount: -250,
      removedAt: null,
    });
    const stored = await store.connections.get(userId, connection.id);
    expect(stored?.cursor, 'cursor read back through connections.get').toBe('cursor-2');
    expect(stored?.lastSyncedAt?.getTime(), 'lastSyncedAt').toBe(at.getTime());
    const raw = await readConnection(harness, userId, connection.id, ['t-1', 't-2']);
    expect(raw.cursor, 'cursor as stored').toBe('cursor-2');
    expect(raw.accountProviderIds, 'accounts as stored').toContain('acc-new');
    expect(
      raw.rows.map((r) => r.providerTransactionId),
      'rows as stored',
    ).toEqual(['t-1', 't-2']);
  });

  test('a batch that fails in the middle writes nothing: no row, no account, no cursor', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 4);
    const { userId, connection } = seeded;
    const involved = ['tx-0000', 'tx-0001', 'tx-0002', 'tx-0003', 'new-1', 'new-2', 'bad'];
    const before = await readConnection(harness, userId, connection.id, involved);
    const accountsBefore = await store.accounts.list(userId, { includeClosed: true });
    await expectFinkitError(
      () =>
        store.applySyncBatch(
          seeded.batch({
            nextCursor: 'cursor-after-failure',
            accounts: [
              providerAccount('acc-added-in-failed-batch'),
              providerAccount(seedAccounts.checking, 'USD', 1),
            ],
            upserts: [
              syncTransaction('new-1', 'acc-added-in-failed-batch'),
              syncTransaction('tx-0000', seedAccounts.checking, { amount: -123_456, categoryId: 'travel' }),
              syncTransaction('new-2', seedAccounts.savings),
              syncTransaction('bad', 'acc-that-does-not-exist'),
            ],
            removed: ['tx-0001'],
          }),
        ),
      'VALIDATION',
      'upsert naming an unknown account',
    );
    expect(
      await readConnection(harness, userId, connection.id, involved),
      'stored state after the failure',
    ).toEqual(before);
    expect(await store.accounts.list(userId, { includeClosed: true }), 'accounts and balances').toEqual(
      accountsBefore,
    );
    expect((await store.connections.get(userId, connection.id))?.cursor, 'cursor unchanged').toBe(
      'cursor-seed',
    );
  });

  test('a stale expectedCursor is a CONFLICT and writes nothing', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 2);
    const { userId, connection } = seeded;
    const involved = ['tx-0000', 'tx-0001', 'late-1'];
    const before = await readConnection(harness, userId, connection.id, involved);
    for (const expectedCursor of [null, 'cursor-someone-else']) {
      await expectFinkitError(
        () =>
          store.applySyncBatch(
            seeded.batch({
              expectedCursor,
              nextCursor: 'cursor-late',
              accounts: [providerAccount('acc-late')],
              upserts: [syncTransaction('late-1', seedAccounts.checking)],
              removed: ['tx-0000'],
            }),
          ),
        'CONFLICT',
        `expectedCursor ${String(expectedCursor)} while the stored one is cursor-seed`,
      );
    }
    expect(await readConnection(harness, userId, connection.id, involved), 'nothing written').toEqual(before);
    const ok = await store.applySyncBatch(
      seeded.batch({ expectedCursor: 'cursor-seed', nextCursor: 'cursor-next' }),
    );
    expect(ok, 'the current cursor applies').toEqual({ added: [], modified: [], removed: [] });
    expect((await store.connections.get(userId, connection.id))?.cursor).toBe('cursor-next');
  });

  test('the same batch applied twice changes nothing the second time', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 3);
    const { userId, connection } = seeded;
    const batch = seeded.batch({
      nextCursor: 'cursor-repeat',
      accounts: [providerAccount(seedAccounts.checking, 'USD', 5)],
      upserts: [
        syncTransaction('rep-1', seedAccounts.checking, { tags: ['a'] }),
        syncTransaction('tx-0000', seedAccounts.checking, { amount: -77 }),
      ],
      removed: ['tx-0001'],
    });
    const first = await store.applySyncBatch(batch);
    expect(first.added, 'first: one added').toHaveLength(1);
    expect(first.modified, 'first: one modified').toEqual([seeded.rows.get('tx-0000')!.id]);
    expect(first.removed, 'first: one removed').toEqual([seeded.rows.get('tx-0001')!.id]);
    const ids = ['rep-1', 'tx-0000', 'tx-0001', 'tx-0002'];
    const rowsAfterFirst = await store.transactions.getByProviderIds(userId, connection.id, ids);
    const second = await store.applySyncBatch(batch);
    expect(second, 'second application reports no change').toEqual({ added: [], modified: [], removed: [] });
    const rowsAfterSecond = await store.transactions.getByProviderIds(userId, connection.id, ids);
    const byId = (rows: typeof rowsAfterFirst) =>
      [...rows].sort((a, b) => (a.providerTransactionId < b.providerTransactionId ? -1 : 1));
    expect(byId(rowsAfterSecond), 'rows unchanged, updatedAt included').toEqual(byId(rowsAfterFirst));
  });

  test('modified lists only rows whose stored values changed', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 3);
    const [same, changed] = [seeded.inputs[0]!, seeded.inputs[1]!];
    const result = await store.applySyncBatch(
      seeded.batch({ upserts: [same, { ...changed, description: 'NEW DESCRIPTOR', pending: false }] }),
    );
    expect(result.modified, 'only the changed row').toEqual([
      seeded.rows.get(changed.providerTransactionId)!.id,
    ]);
    expect(result.added).toEqual([]);
    const unchanged = await store.transactions.get(
      seeded.userId,
      seeded.rows.get(same.providerTransactionId)!.id,
    );
    expect(unchanged, 'the identical upsert left the row as it was').toEqual(
      seeded.rows.get(same.providerTransactionId),
    );
  });

  test('removal is soft: get still returns the row with removedAt, lists leave it out, unknown ids are ignored', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 3);
    const { userId } = seeded;
    const target = seeded.rows.get('tx-0002')!;
    const result = await store.applySyncBatch(seeded.batch({ removed: ['tx-0002', 'never-existed'] }));
    expect(result.removed, 'removed names the row').toEqual([target.id]);
    const row = await store.transactions.get(userId, target.id);
    expect(row?.removedAt, 'removedAt set').toBeInstanceOf(Date);
    const listed = await store.transactions.list(userId, { includeHidden: true }, { limit: 100 });
    expect(
      listed.items.map((r) => r.id),
      'list leaves removed rows out',
    ).not.toContain(target.id);
    const again = await store.applySyncBatch(seeded.batch({ removed: ['tx-0002'] }));
    expect(again.removed, 'removing again reports nothing new').toEqual([]);
  });

  test('a missing connection is NOT_FOUND', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 0);
    await expectFinkitError(
      () => store.applySyncBatch({ ...seeded.batch(), connectionId: uniqueId('missing') }),
      'NOT_FOUND',
      'batch for a missing connection',
    );
    await expectFinkitError(
      () =>
        store.applySyncBatch({
          userId: seeded.userId,
          connectionId: uniqueId('missing'),
          nextCursor: 'c',
          accounts: [],
          upserts: [],
          removed: [],
          syncedAt,
        }),
      'NOT_FOUND',
      'batch for a missing connection without expectedCursor',
    );
  });
}
