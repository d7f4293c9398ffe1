import { expect } from 'vitest';
import type { EditableValues } from '../ports/store.js';
import {
  type ContractHarness,
  expectFinkitError,
  readConnection,
  seedAccounts,
  seedUser,
  syncTransaction,
  uniqueId,
} from './store-contract-fixtures.js';

const userEdit: Partial<EditableValues> = {
  categoryId: 'travel',
  categoryConfidence: 1,
  categoryExplanation: 'set by you',
  merchantName: 'My Cafe',
  notes: 'client lunch',
  tags: ['business'],
  hidden: true,
};

const userValues = {
  categoryId: 'travel',
  categoryConfidence: 1,
  categoryExplanation: 'set by you',
  merchantName: 'My Cafe',
  notes: 'client lunch',
  tags: ['business'],
  hidden: true,
  sources: { categoryId: 'user', merchantName: 'user', notes: 'user', tags: 'user', hidden: 'user' },
};

export function describeProvenanceContract(harness: ContractHarness): void {
  const { test } = harness;

  test('edit with source user writes every given field and records the source', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 2);
    const row = seeded.rows.get('tx-0000')!;
    const [edited] = await store.transactions.edit(seeded.userId, [{ id: row.id, fields: userEdit }], 'user');
    expect(edited, 'returned row').toMatchObject(userValues);
    expect(await store.transactions.get(seeded.userId, row.id), 'read back').toEqual(edited);
    expect(edited?.amount, 'provider fields untouched').toBe(row.amount);
  });

  test('user-set fields survive a provider update through applySyncBatch', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 2);
    const input = seeded.inputs[0]!;
    const row = seeded.rows.get(input.providerTransactionId)!;
    await store.transactions.edit(seeded.userId, [{ id: row.id, fields: userEdit }], 'user');
    await store.applySyncBatch(
      seeded.batch({
        upserts: [
          {
            ...input,
            amount: -9_999,
            description: 'UPDATED BY BANK',
            categoryId: 'food_and_dining',
            categoryConfidence: 0.9,
            categoryExplanation: 'Plaid: FOOD',
            merchantName: 'Provider Merchant',
            tags: ['provider-tag'],
            hidden: false,
          },
        ],
      }),
    );
    const after = await store.transactions.get(seeded.userId, row.id);
    expect(after, 'user values kept').toMatchObject(userValues);
    expect(after, 'provider values updated').toMatchObject({
      amount: -9_999,
      description: 'UPDATED BY BANK',
    });
    const raw = await readConnection(harness, seeded.userId, seeded.connection.id, [
      input.providerTransactionId,
    ]);
    expect(raw.rows[0], 'as stored').toMatchObject({
      amount: -9_999,
      categoryId: 'travel',
      notes: 'client lunch',
    });
  });

  test('fields not set by the user take the provider update', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 1);
    const input = seeded.inputs[0]!;
    const row = seeded.rows.get(input.providerTransactionId)!;
    await store.transactions.edit(seeded.userId, [{ id: row.id, fields: { notes: 'mine' } }], 'user');
    await store.applySyncBatch(
      seeded.batch({
        upserts: [
          {
            ...input,
            categoryId: 'healthcare',
            tags: ['p'],
            sources: { ...input.sources, categoryId: 'rule' },
          },
        ],
      }),
    );
    const after = await store.transactions.get(seeded.userId, row.id);
    expect(after).toMatchObject({ categoryId: 'healthcare', tags: ['p'], notes: 'mine' });
    expect(after?.sources).toMatchObject({ categoryId: 'rule', notes: 'user' });
  });

  test('user-set fields survive edits from rules, learning and models; other fields take them', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 2);
    const row = seeded.rows.get('tx-0001')!;
    await store.transactions.edit(
      seeded.userId,
      [{ id: row.id, fields: { categoryId: 'travel', notes: 'mine', hidden: true } }],
      'user',
    );
    for (const source of ['rule', 'learned', 'model', 'provider'] as const) {
      await store.transactions.edit(
        seeded.userId,
        [
          {
            id: row.id,
            fields: { categoryId: 'shopping', categoryExplanation: source, notes: source, hidden: false },
          },
        ],
        source,
      );
    }
    const [edited] = await store.transactions.edit(
      seeded.userId,
      [{ id: row.id, fields: { categoryId: 'income', tags: ['auto'], merchantName: 'Rule Merchant' } }],
      'rule',
    );
    expect(edited, 'user fields kept').toMatchObject({ categoryId: 'travel', notes: 'mine', hidden: true });
    expect(edited?.categoryExplanation, 'the explanation belongs to the user-set category').toBe(
      row.categoryExplanation,
    );
    expect(edited, 'free fields taken').toMatchObject({ tags: ['auto'], merchantName: 'Rule Merchant' });
    expect(edited?.sources).toMatchObject({
      categoryId: 'user',
      notes: 'user',
      hidden: 'user',
      tags: 'rule',
      merchantName: 'rule',
    });
    expect(await store.transactions.get(seeded.userId, row.id), 'read back').toEqual(edited);
  });

  test('edit is atomic: one unknown id fails the whole call with NOT_FOUND', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 2);
    const row = seeded.rows.get('tx-0000')!;
    await expectFinkitError(
      () =>
        store.transactions.edit(
          seeded.userId,
          [
            { id: row.id, fields: { notes: 'should not stay' } },
            { id: uniqueId('missing'), fields: { notes: 'x' } },
          ],
          'user',
        ),
      'NOT_FOUND',
      'edit naming a missing row',
    );
    expect(await store.transactions.get(seeded.userId, row.id), 'first row untouched').toEqual(row);
  });

  test('edit returns rows in input order', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 3);
    const ids = ['tx-0002', 'tx-0000', 'tx-0001'].map((p) => seeded.rows.get(p)!.id);
    const edited = await store.transactions.edit(
      seeded.userId,
      ids.map((id, i) => ({ id, fields: { notes: `n${i}` } })),
      'user',
    );
    expect(edited.map((r) => r.id)).toEqual(ids);
    expect(edited.map((r) => r.notes)).toEqual(['n0', 'n1', 'n2']);
  });

  test('pending to posted in one batch carries the user-set fields to the posted row', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 0);
    await store.applySyncBatch(
      seeded.batch({
        upserts: [syncTransaction('p-1', seedAccounts.checking, { pending: true, amount: -500 })],
      }),
    );
    const [pending] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, ['p-1']);
    await store.transactions.edit(seeded.userId, [{ id: pending!.id, fields: userEdit }], 'user');
    const posted = syncTransaction('posted-1', seedAccounts.checking, {
      pendingTransactionId: 'p-1',
      amount: -550,
      merchantName: 'Provider Merchant',
      tags: ['provider'],
    });
    const result = await store.applySyncBatch(seeded.batch({ removed: ['p-1'], upserts: [posted] }));
    expect(result.removed, 'the pending row is removed').toEqual([pending!.id]);
    const [row] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, [
      'posted-1',
    ]);
    expect(row, 'posted row carries the user values').toMatchObject({
      ...userValues,
      amount: -550,
      pending: false,
    });
    expect(result.added, 'posted row added').toEqual([row!.id]);
  });

  test('pending to posted across batches (removal first, posted later) carries the user-set fields', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 0);
    await store.applySyncBatch(
      seeded.batch({ upserts: [syncTransaction('p-2', seedAccounts.savings, { pending: true })] }),
    );
    const [pending] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, ['p-2']);
    await store.transactions.edit(
      seeded.userId,
      [{ id: pending!.id, fields: { notes: 'split with Sam', tags: ['shared'] } }],
      'user',
    );
    await store.applySyncBatch(seeded.batch({ removed: ['p-2'] }));
    await store.applySyncBatch(
      seeded.batch({
        upserts: [
          syncTransaction('posted-2', seedAccounts.savings, {
            pendingTransactionId: 'p-2',
            tags: ['provider'],
          }),
        ],
      }),
    );
    const [row] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, [
      'posted-2',
    ]);
    expect(row, 'carried').toMatchObject({ notes: 'split with Sam', tags: ['shared'] });
    expect(row?.sources, 'carried sources').toMatchObject({
      notes: 'user',
      tags: 'user',
      categoryId: 'provider',
    });
    expect(row?.categoryId, 'fields the user never set come from the posted input').toBe('shopping');
  });

  test('pending to posted carries nothing the user did not set', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 0);
    await store.applySyncBatch(
      seeded.batch({
        upserts: [
          syncTransaction('p-3', seedAccounts.checking, {
            pending: true,
            categoryId: 'travel',
            tags: ['rule-tag'],
            sources: { categoryId: 'rule', tags: 'rule' },
          }),
        ],
      }),
    );
    await store.applySyncBatch(
      seeded.batch({
        removed: ['p-3'],
        upserts: [syncTransaction('posted-3', seedAccounts.checking, { pendingTransactionId: 'p-3' })],
      }),
    );
    const [row] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, [
      'posted-3',
    ]);
    expect(row).toMatchObject({ categoryId: 'shopping', tags: [], notes: null });
  });

  test('an edit of a pending row that was already replaced follows it to the posted row', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 0);
    await store.applySyncBatch(
      seeded.batch({ upserts: [syncTransaction('p-4', seedAccounts.checking, { pending: true })] }),
    );
    const [pending] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, ['p-4']);
    // The sync replaces the row between the user opening it and saving the edit.
    await store.applySyncBatch(
      seeded.batch({
        removed: ['p-4'],
        upserts: [syncTransaction('posted-4', seedAccounts.checking, { pendingTransactionId: 'p-4' })],
      }),
    );
    const [returned] = await store.transactions.edit(
      seeded.userId,
      [{ id: pending!.id, fields: { notes: 'team lunch', categoryId: 'food_and_dining' } }],
      'user',
    );
    const [posted] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, [
      'posted-4',
    ]);
    expect(returned?.id, 'the posted row is returned in its place').toBe(posted!.id);
    expect(posted, 'the edit reached the posted row').toMatchObject({
      notes: 'team lunch',
      categoryId: 'food_and_dining',
      sources: { notes: 'user', categoryId: 'user' },
    });
    // A later provider update of the posted row keeps the forwarded edit.
    await store.applySyncBatch(
      seeded.batch({
        upserts: [
          syncTransaction('posted-4', seedAccounts.checking, { pendingTransactionId: 'p-4', amount: -1 }),
        ],
      }),
    );
    const [after] = await store.transactions.getByProviderIds(seeded.userId, seeded.connection.id, [
      'posted-4',
    ]);
    expect(after).toMatchObject({ notes: 'team lunch', categoryId: 'food_and_dining', amount: -1 });
  });
}
