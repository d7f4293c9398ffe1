import { createMemoryStore } from '@finkit/core';
import { describe, it } from 'vitest';
import { checkSyncConvergence } from './check-sync-convergence.js';

// The SQL stores run the same property from examples/server, the package that depends on them.
describe('sync engine against the Plaid sandbox (property)', () => {
  it('converges to the sandbox truth and keeps every user edit on the memory store', async () => {
    await checkSyncConvergence(
      async () => {
        // One process's memory: the peer engine shares the store, so only its cursor check keeps them apart.
        const store = createMemoryStore();
        return { store, peer: store, close: () => store.close() };
      },
      { numRuns: 12 },
    );
  }, 60_000);
});
