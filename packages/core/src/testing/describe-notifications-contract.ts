import { expect } from 'vitest';
import type { Notification } from '../schemas/notification.js';
import { type ContractHarness, expectFinkitError, uniqueId } from './store-contract-fixtures.js';

const notice = (
  dedupeKey: string,
  title = 'Budget at 80%',
): Pick<Notification, 'type' | 'dedupeKey' | 'title' | 'body' | 'data'> => ({
  type: 'budget.threshold_crossed',
  dedupeKey,
  title,
  body: 'You spent 80% of Groceries',
  data: { budgetId: 'b1', threshold: 80, nested: { spent: 40_000 } },
});

export function describeNotificationsContract(harness: ContractHarness): void {
  const { test } = harness;

  test('create inserts once per dedupe key and returns the stored one after', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const first = await store.notifications.create(userId, notice('k1'));
    expect(first.created, 'first call creates').toBe(true);
    expect(first.notification).toMatchObject({ ...notice('k1'), userId, readAt: null });
    const second = await store.notifications.create(userId, notice('k1', 'A different title'));
    expect(second.created, 'second call does not').toBe(false);
    expect(second.notification, 'the stored one').toEqual(first.notification);
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => store.notifications.create(userId, notice('k2'))),
    );
    expect(
      concurrent.filter((r) => r.created),
      'concurrent: exactly one created',
    ).toHaveLength(1);
    expect(await store.notifications.list(userId), 'two notifications').toHaveLength(2);
    const otherUser = await store.notifications.create(uniqueId('user'), notice('k1'));
    expect(otherUser.created, 'dedupe keys are per user').toBe(true);
  });

  test('list is newest first, honours unreadOnly and limit; markRead sets readAt', async () => {
    const { store } = harness;
    const userId = uniqueId('user');
    const ids: string[] = [];
    for (const key of ['a', 'b', 'c', 'd'])
      ids.push((await store.notifications.create(userId, notice(key))).notification.id);
    expect(
      (await store.notifications.list(userId)).map((n) => n.id),
      'newest first',
    ).toEqual([...ids].reverse());
    const at = new Date(Date.UTC(2024, 6, 1));
    const read = await store.notifications.markRead(userId, ids[2]!, at);
    expect(read.readAt?.getTime(), 'readAt').toBe(at.getTime());
    const unread = await store.notifications.list(userId, { unreadOnly: true });
    expect(
      unread.map((n) => n.id),
      'unread only',
    ).toEqual([ids[3], ids[1], ids[0]]);
    expect(
      (await store.notifications.list(userId, { limit: 2 })).map((n) => n.id),
      'limit',
    ).toEqual([ids[3], ids[2]]);
    await expectFinkitError(
      () => store.notifications.markRead(userId, uniqueId('missing'), at),
      'NOT_FOUND',
      'markRead of a missing notification',
    );
  });
}
