import { expect } from 'vitest';
import { type ContractHarness, uniqueId } from './store-contract-fixtures.js';

export function describeNotificationPreferencesContract(harness: ContractHarness): void {
  const { test } = harness;

  test('notification preferences: one document per user, replaced by put, byte for byte', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const bob = uniqueId('user');
    expect(await store.notificationPreferences.get(alice)).toBeNull();
    const first = JSON.stringify({
      email: 'alice@example.com',
      quietHours: { start: '22:00', end: '07:00' },
    });
    const v1 = await store.notificationPreferences.put(alice, first, 0);
    expect(v1, 'the first put answers a version').toEqual(expect.any(Number));
    expect(await store.notificationPreferences.get(alice)).toEqual({ json: first, version: v1 });
    const second = JSON.stringify({ locale: 'fr-FR', note: 'ünïcödé ☕', unsubscribed: [] });
    const v2 = await store.notificationPreferences.put(alice, second, v1!);
    expect(v2, 'a greater version').toBeGreaterThan(v1!);
    expect(await store.notificationPreferences.get(alice)).toEqual({ json: second, version: v2 });
    expect(await store.notificationPreferences.get(bob), "another user's document is invisible").toBeNull();
    await store.notificationPreferences.put(bob, '{}', 0);
    expect(await store.notificationPreferences.get(alice), "bob's put leaves alice's").toEqual({
      json: second,
      version: v2,
    });
    expect((await store.notificationPreferences.get(bob))?.json).toBe('{}');
  });

  test('notification preferences: put over a stale version changes nothing; of concurrent puts one wins', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const v1 = await store.notificationPreferences.put(alice, '{"locale":"en-GB"}', 0);
    expect(
      await store.notificationPreferences.put(alice, '{"late":1}', 0),
      'none yet, but there is',
    ).toBeNull();
    const v2 = await store.notificationPreferences.put(alice, '{"locale":"de-DE"}', v1!);
    expect(await store.notificationPreferences.put(alice, '{"late":2}', v1!), 'v1 was replaced').toBeNull();
    expect(
      await store.notificationPreferences.put(alice, '{"late":3}', v2! + 1),
      'not yet written',
    ).toBeNull();
    expect(await store.notificationPreferences.get(alice)).toEqual({
      json: '{"locale":"de-DE"}',
      version: v2,
    });

    const raced = await Promise.all(
      [1, 2, 3, 4].map((n) => store.notificationPreferences.put(alice, `{"n":${n}}`, v2!)),
    );
    const winners = raced.flatMap((version, i) => (version === null ? [] : [{ version, n: i + 1 }]));
    expect(winners, 'exactly one writer over the version all of them read').toHaveLength(1);
    expect(await store.notificationPreferences.get(alice)).toEqual({
      json: `{"n":${winners[0]!.n}}`,
      version: winners[0]!.version,
    });

    const bob = uniqueId('user');
    const firsts = await Promise.all(
      [1, 2, 3].map((n) => store.notificationPreferences.put(bob, `{"n":${n}}`, 0)),
    );
    expect(
      firsts.filter((v) => v !== null),
      'one first document',
    ).toHaveLength(1);
  });
}
