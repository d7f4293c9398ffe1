import { expect } from 'vitest';
import { type ContractHarness, uniqueId } from './store-contract-fixtures.js';

export function describeLearnerStateContract(harness: ContractHarness): void {
  const { test } = harness;

  test('keeps one versioned document per user: put replaces it, another user sees none', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const bob = uniqueId('user');
    expect(await store.learnerState.get(alice), 'nothing before the first put').toBeNull();
    expect(await store.learnerState.version(alice), 'version 0 before the first put').toBe(0);
    const first = JSON.stringify({
      version: 1,
      merchants: { 'blue bottle': { counts: { food_and_dining: 2 } } },
    });
    const v1 = await store.learnerState.put(alice, first, 0);
    expect(v1).toBeGreaterThan(0);
    expect(await store.learnerState.get(alice)).toEqual({ json: first, version: v1 });
    expect(await store.learnerState.version(alice)).toBe(v1);
    const second = JSON.stringify({ version: 1, merchants: {}, note: 'ünïcödé ☕' });
    const v2 = await store.learnerState.put(alice, second, v1!);
    expect(v2, 'every write raises the version').toBeGreaterThan(v1!);
    expect(await store.learnerState.get(alice), 'replaced, byte for byte').toEqual({
      json: second,
      version: v2,
    });
    expect(await store.learnerState.get(bob), "another user's document is invisible").toBeNull();
    expect(await store.learnerState.version(bob)).toBe(0);
  });

  test('put is compare-and-set: a stale version changes nothing', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const v1 = await store.learnerState.put(alice, '{"a":1}', 0);
    expect(await store.learnerState.put(alice, '{"b":2}', 0), 'a second first write loses').toBeNull();
    const v2 = await store.learnerState.put(alice, '{"c":3}', v1!);
    expect(
      await store.learnerState.put(alice, '{"d":4}', v1!),
      'a write from the old version loses',
    ).toBeNull();
    expect(await store.learnerState.get(alice)).toEqual({ json: '{"c":3}', version: v2 });
  });

  test('of concurrent writers from one version exactly one wins', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const v1 = (await store.learnerState.put(alice, '{"n":0}', 0))!;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.learnerState.put(alice, `{"n":${i + 1}}`, v1)),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const won = results.findIndex((r) => r !== null);
    expect(await store.learnerState.get(alice)).toEqual({ json: `{"n":${won + 1}}`, version: winners[0] });
  });
}
