import { expect } from 'vitest';
import type { NewConnectionRecord } from '../ports/store.js';
import {
  type ContractHarness,
  expectFinkitError,
  providerAccount,
  ruleInput,
  seedUser,
  uniqueId,
} from './store-contract-fixtures.js';

function connectionInput(userId: string, overrides: Partial<NewConnectionRecord> = {}): NewConnectionRecord {
  return {
    userId,
    provider: 'contract',
    providerItemId: uniqueId('item'),
    institutionId: 'ins_1',
    institutionName: 'First Bank',
    encryptedAccessToken: 'v1:secret',
    ...overrides,
  };
}

export function describeRecordsContract(harness: ContractHarness): void {
  const { test } = harness;

  test('connections.create starts active with no cursor and rejects a linked item with CONFLICT', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const input = connectionInput(userId);
    const created = await store.connections.create(input);
    expect(created).toMatchObject({
      userId,
      status: 'active',
      cursor: null,
      lastSyncedAt: null,
      lastError: null,
    });
    expect(await store.connections.get(userId, created.id), 'read back').toEqual(created);
    await expectFinkitError(
      () =>
        store.connections.create(connectionInput(uniqueId('user'), { providerItemId: input.providerItemId })),
      'CONFLICT',
      'same provider item linked twice',
    );
    expect(await store.connections.list(userId), 'still one connection').toHaveLength(1);
  });

  test('connections list oldest first, update patches, and system lookups find them', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const first = await store.connections.create(connectionInput(userId));
    const second = await store.connections.create(connectionInput(userId));
    expect(
      (await store.connections.list(userId)).map((c) => c.id),
      'oldest first',
    ).toEqual([first.id, second.id]);
    const lastError = {
      code: 'ITEM_LOGIN_REQUIRED',
      message: 'log in again',
      at: new Date(Date.UTC(2024, 0, 2)),
    };
    const updated = await store.connections.update(userId, second.id, {
      status: 'reauth_required',
      lastError,
    });
    expect(updated).toMatchObject({ status: 'reauth_required', lastError, cursor: null });
    expect(await store.connections.get(userId, second.id), 'update read back').toEqual(updated);
    expect(await store.connections.findByProviderItemId('contract', second.providerItemId)).toEqual(updated);
    expect(await store.connections.findByProviderItemId('contract', uniqueId('missing'))).toBeNull();
    const reauth = await store.connections.listByStatus(['reauth_required']);
    expect(
      reauth.map((c) => c.id),
      'listByStatus includes the reauth one',
    ).toContain(second.id);
    expect(
      reauth.map((c) => c.id),
      'listByStatus excludes the active one',
    ).not.toContain(first.id);
    await expectFinkitError(
      () => store.connections.update(userId, uniqueId('missing'), { status: 'error' }),
      'NOT_FOUND',
      'update of a missing connection',
    );
  });

  test('accounts.upsertMany inserts, then updates by provider account id, in input order', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const connection = await store.connections.create(connectionInput(userId));
    const inserted = await store.accounts.upsertMany(userId, connection.id, [
      providerAccount('b-acc', 'USD', 100),
      providerAccount('a-acc', 'EUR', 200),
    ]);
    expect(
      inserted.map((a) => a.providerAccountId),
      'input order',
    ).toEqual(['b-acc', 'a-acc']);
    const updated = await store.accounts.upsertMany(userId, connection.id, [
      providerAccount('a-acc', 'EUR', 999),
    ]);
    expect(updated[0]?.id, 'same row for the same provider account').toBe(inserted[1]?.id);
    expect(updated[0]?.balances.current).toBe(999);
    await store.accounts.upsertMany(userId, connection.id, [providerAccount('0-later')]);
    const listed = (await store.accounts.list(userId, { connectionId: connection.id })).map(
      (a) => a.providerAccountId,
    );
    expect(listed.slice(0, 2).sort(), 'accounts of the first call first').toEqual(['a-acc', 'b-acc']);
    expect(listed[2], 'an account created later comes last').toBe('0-later');
    expect(await store.accounts.get(userId, inserted[1]!.id)).toEqual(updated[0]);
    await expectFinkitError(
      () => store.accounts.upsertMany(userId, uniqueId('missing'), [providerAccount('x')]),
      'NOT_FOUND',
      'upsert into a missing connection',
    );
  });

  test('accounts.closeAll closes every account of the connection; list hides them unless includeClosed', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 1);
    const at = new Date(Date.UTC(2024, 4, 1));
    await store.accounts.closeAll(seeded.userId, seeded.connection.id, at);
    expect(await store.accounts.list(seeded.userId), 'open accounts').toEqual([]);
    const all = await store.accounts.list(seeded.userId, { includeClosed: true });
    expect(all).toHaveLength(seeded.accounts.length);
    expect(
      all.every((a) => a.closedAt?.getTime() === at.getTime()),
      'closedAt set',
    ).toBe(true);
  });

  test('rules list in evaluation order: stage, priority, then creation', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const post = await store.rules.create(userId, ruleInput({ name: 'post', stage: 'post', priority: -5 }));
    const late = await store.rules.create(
      userId,
      ruleInput({ name: 'default 1 created first', priority: 1 }),
    );
    const early = await store.rules.create(
      userId,
      ruleInput({ name: 'default 1 created second', priority: 1 }),
    );
    const low = await store.rules.create(userId, ruleInput({ name: 'default 0', priority: 0 }));
    const pre = await store.rules.create(userId, ruleInput({ name: 'pre', stage: 'pre', priority: 9 }));
    const names = (await store.rules.list(userId)).map((r) => r.name);
    expect(names).toEqual([pre.name, low.name, late.name, early.name, post.name]);
  });

  test('rules update and delete; a missing rule is null or NOT_FOUND', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const rule = await store.rules.create(userId, ruleInput());
    const updated = await store.rules.update(userId, rule.id, { enabled: false, actions: { hidden: true } });
    expect(updated).toMatchObject({
      id: rule.id,
      enabled: false,
      actions: { hidden: true },
      name: rule.name,
    });
    expect(await store.rules.get(userId, rule.id)).toEqual(updated);
    await store.rules.delete(userId, rule.id);
    expect(await store.rules.get(userId, rule.id)).toBeNull();
    await expectFinkitError(() => store.rules.delete(userId, rule.id), 'NOT_FOUND', 'delete twice');
    await expectFinkitError(
      () => store.rules.update(userId, rule.id, { name: 'x' }),
      'NOT_FOUND',
      'update deleted',
    );
  });

  test('returned objects are copies: mutating them never changes the store', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 2);
    const { userId } = seeded;
    const row = (await store.transactions.get(userId, seeded.rows.get('tx-0001')!.id))!;
    const original = structuredClone(row);
    row.tags.push('mutated');
    row.amount = 1;
    row.sources.categoryId = 'user';
    row.date = '1999-01-01';
    const page = await store.transactions.list(userId, {}, { limit: 10 });
    page.items[0]!.notes = 'mutated';
    expect(await store.transactions.get(userId, row.id), 'transaction after mutating copies').toEqual(
      original,
    );

    const connection = (await store.connections.get(userId, seeded.connection.id))!;
    const connectionBefore = structuredClone(connection);
    connection.cursor = 'mutated';
    connection.status = 'removed';
    expect(await store.connections.get(userId, connection.id), 'connection').toEqual(connectionBefore);

    const accounts = await store.accounts.list(userId);
    const accountBefore = structuredClone(accounts[0]!);
    accounts[0]!.balances.current = -1;
    expect(await store.accounts.get(userId, accountBefore.id), 'account').toEqual(accountBefore);

    const rule = await store.rules.create(userId, ruleInput());
    rule.conditions.length = 0;
    expect((await store.rules.get(userId, rule.id))?.conditions, 'rule conditions').toHaveLength(1);
  });

  test('inputs are copied: mutating an argument after the call never changes the store', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const input = ruleInput({ actions: { addTags: ['coffee'] } });
    const rule = await store.rules.create(userId, input);
    input.conditions.length = 0;
    input.actions.addTags?.push('changed');
    expect(await store.rules.get(userId, rule.id)).toEqual(rule);
    expect(rule.actions.addTags).toEqual(['coffee']);
  });
}
