import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { runStoreContract } from '../testing/run-store-contract.js';
import { createMemoryStore } from './memory-store.js';

runStoreContract('memory', ({ clock }) => ({ store: createMemoryStore({ clock }) }));

// The same store claiming no vector search: the search tests must then check the refusal.
runStoreContract('memory without vector search', ({ clock }) => {
  const store = createMemoryStore({ clock });
  return {
    store: {
      ...store,
      capabilities: { ...store.capabilities, vectorSearch: false },
      searchSimilar: async () => {
        throw new FinkitError('CAPABILITY_UNAVAILABLE', 'No vector search here');
      },
    },
  };
});

describe('createMemoryStore', () => {
  it('uses the given id generator and clock', async () => {
    let n = 0;
    const at = new Date(Date.UTC(2024, 0, 1));
    const store = createMemoryStore({ idGenerator: () => `id-${++n}`, clock: { now: () => at } });
    const rule = await store.rules.create('u1', {
      name: 'r',
      enabled: true,
      stage: 'default',
      priority: 0,
      match: 'all',
      conditions: [{ field: 'sign', op: 'is', value: 'inflow' }],
      actions: { hidden: true },
    });
    expect(rule.id).toBe('id-1');
    expect(rule.createdAt).toEqual(at);
  });

  it('reports vector search but not cross-process locking', () => {
    expect(createMemoryStore().capabilities).toEqual({ vectorSearch: true, crossProcess: false });
  });
});
