import { expect } from 'vitest';
import { type ContractHarness, uniqueId } from './store-contract-fixtures.js';

export function describeLearnerStateContract(harness: ContractHarness): void {
  const { test } = harness;

  test('keeps one document per user: put replaces it, another user sees none', async () => {
    const { store } = harness;
    const alice = uniqueId('user');
    const bob = uniqueId('user');
    expect(await store.learnerState.get(alice), 'nothing before the first put').toBeNull();
    const first = JSON.stringify({
      version: 1,
      merchants: { 'blue bottle': { counts: { food_and_dining: 2 } } },
    });
    await store.learnerState.put(alice, first);
    expect(await store.learnerState.get(alice)).toBe(first);
    const second = JSON.stringify({ version: 1, merchants: {}, note: 'ünïcödé ☕' });
    await store.learnerState.put(alice, second);
    expect(await store.learnerState.get(alice), 'replaced, byte for byte').toBe(second);
    expect(await store.learnerState.get(bob), "another user's document is invisible").toBeNull();
  });
}
