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
    await store.notificationPreferences.put(alice, first);
    expect(await store.notificationPreferences.get(alice)).toBe(first);
    const second = JSON.stringify({ locale: 'fr-FR', note: 'ünïcödé ☕', unsubscribed: [] });
    await store.notificationPreferences.put(alice, second);
    expect(await store.notificationPreferences.get(alice)).toBe(second);
    expect(await store.notificationPreferences.get(bob), "another user's document is invisible").toBeNull();
    await store.notificationPreferences.put(bob, '{}');
    expect(await store.notificationPreferences.get(alice), "bob's put leaves alice's").toBe(second);
    expect(await store.notificationPreferences.get(bob)).toBe('{}');
  });
}
