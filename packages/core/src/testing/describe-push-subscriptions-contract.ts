import { expect } from 'vitest';
import type { PushSubscriptionRecord } from '../schemas/push-subscription.js';
import { type ContractHarness, uniqueId } from './store-contract-fixtures.js';

function subscription(name: string, keyChar = 'A'): PushSubscriptionRecord {
  return {
    endpoint: `https://push.example.com/send/${name}`,
    keys: { p256dh: `B${keyChar.repeat(86)}`, auth: keyChar.repeat(22) },
  };
}

export function describePushSubscriptionsContract(harness: ContractHarness): void {
  const { test } = harness;

  test('push subscriptions: add lists them oldest first; adding an endpoint again replaces its keys in place', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    expect(await store.pushSubscriptions.list(alice)).toEqual([]);
    const phone = subscription('phone-ü?x=1&y=%20', 'A');
    const laptop = subscription('laptop', 'C');
    await store.pushSubscriptions.add(alice, phone);
    await store.pushSubscriptions.add(alice, laptop);
    expect(await store.pushSubscriptions.list(alice)).toEqual([phone, laptop]);

    const renewed = { ...phone, keys: { p256dh: `B${'D'.repeat(86)}`, auth: 'D'.repeat(22) } };
    await store.pushSubscriptions.add(alice, renewed);
    expect(await store.pushSubscriptions.list(alice), 'one row per endpoint, keys replaced').toEqual([
      renewed,
      laptop,
    ]);
  });

  test('push subscriptions: remove deletes one endpoint and says whether it was there', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const a = subscription(uniqueId('a'));
    const b = subscription(uniqueId('b'));
    await store.pushSubscriptions.add(alice, a);
    await store.pushSubscriptions.add(alice, b);
    expect(await store.pushSubscriptions.remove(alice, a.endpoint)).toBe(true);
    expect(await store.pushSubscriptions.remove(alice, a.endpoint), 'already gone').toBe(false);
    expect(await store.pushSubscriptions.list(alice)).toEqual([b]);
  });

  test("push subscriptions: another user's are invisible and untouchable", async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const bob = uniqueId('user');
    const alices = subscription(uniqueId('alice-phone'), 'A');
    await store.pushSubscriptions.add(alice, alices);
    expect(await store.pushSubscriptions.list(bob)).toEqual([]);
    expect(await store.pushSubscriptions.remove(bob, alices.endpoint), "bob cannot remove alice's").toBe(
      false,
    );
    expect(await store.pushSubscriptions.list(alice)).toEqual([alices]);
  });

  test('push subscriptions: an endpoint belongs to the last user who added it', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const bob = uniqueId('user');
    const own = subscription(uniqueId('alice-laptop'), 'A');
    const shared = subscription(uniqueId('shared-browser'), 'A');
    await store.pushSubscriptions.add(alice, own);
    await store.pushSubscriptions.add(alice, shared);
    // The shared device changes hands: bob signs in on it and subscribes.
    const bobs = { ...shared, keys: { p256dh: `B${'E'.repeat(86)}`, auth: 'E'.repeat(22) } };
    await store.pushSubscriptions.add(bob, bobs);
    expect(await store.pushSubscriptions.list(bob)).toEqual([bobs]);
    expect(
      await store.pushSubscriptions.list(alice),
      "alice no longer gets bob's notifications' browser, and keeps her own",
    ).toEqual([own]);
    expect(
      await store.pushSubscriptions.remove(alice, shared.endpoint),
      'alice cannot remove it now that it is bob’s',
    ).toBe(false);
    expect(await store.pushSubscriptions.list(bob)).toEqual([bobs]);

    await store.pushSubscriptions.add(alice, shared);
    expect(await store.pushSubscriptions.list(bob), 'moved back').toEqual([]);
    expect(await store.pushSubscriptions.list(alice)).toEqual(expect.arrayContaining([own, shared]));

    const raced = subscription(uniqueId('raced'), 'F');
    await Promise.all([alice, bob].map((user) => store.pushSubscriptions.add(user, raced)));
    const owners = [
      (await store.pushSubscriptions.list(alice)).some((s) => s.endpoint === raced.endpoint),
      (await store.pushSubscriptions.list(bob)).some((s) => s.endpoint === raced.endpoint),
    ];
    expect(owners.filter(Boolean), 'two users adding one endpoint at once: one owner').toHaveLength(1);
  });

  test('push subscriptions: returned rows are copies', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const input = subscription(uniqueId('copy'));
    await store.pushSubscriptions.add(alice, input);
    input.keys.auth = 'mutated-after-add';
    const [listed] = await store.pushSubscriptions.list(alice);
    expect(listed!.keys.auth).toBe('A'.repeat(22));
    listed!.keys.auth = 'mutated-after-list';
    expect((await store.pushSubscriptions.list(alice))[0]!.keys.auth).toBe('A'.repeat(22));
  });
}
