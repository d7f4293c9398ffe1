import { FinkitError, type ProviderTransaction } from '@finkit/core';
import { describe, expect, it } from 'vitest';
import { createPlaidProvider, mapPlaidTransaction } from '../src/index.js';
import { startPlaidSandbox } from '../src/sandbox/index.js';

describe('a client paging through /transactions/sync', () => {
  it('converges to the sandbox truth across advances, pending→posted flips and restarts', async () => {
    const sandbox = await startPlaidSandbox({ seed: 99, historyDays: 200 });
    try {
      const provider = createPlaidProvider({ clientId: 'c', secret: 's', basePath: sandbox.url });
      const { accessToken, itemId } = await provider.exchangePublicToken(sandbox.createPublicToken());
      const store = new Map<string, ProviderTransaction>();
      const removedIds = new Set<string>();
      let cursor: string | null = null;
      let restarts = 0;
      let modifications = 0;

      /** Buffers a whole update and applies it only once it is complete, restarting on mutation. */
      const syncAll = async (): Promise<void> => {
        for (;;) {
          const pages = [];
          let next = cursor;
          try {
            for (;;) {
              const page = await provider.syncTransactions(accessToken, next, { count: 37 });
              pages.push(page);
              next = page.nextCursor;
              if (!page.hasMore) break;
            }
          } catch (error) {
            if (
              FinkitError.hasCode(error, 'PROVIDER') &&
              error.details.providerCode === 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION'
            ) {
              restarts++;
              continue;
            }
            throw error;
          }
          for (const page of pages) {
            modifications += page.modified.length;
            for (const t of [...page.added, ...page.modified]) store.set(t.providerTransactionId, t);
            for (const r of page.removed) {
              store.delete(r.providerTransactionId);
              removedIds.add(r.providerTransactionId);
            }
          }
          cursor = next;
          return;
        }
      };

      await syncAll();
      const truth = () => sandbox.truth(itemId).map(mapPlaidTransaction);
      const sorted = (list: ProviderTransaction[]) =>
        [...list].sort((a, b) => a.providerTransactionId.localeCompare(b.providerTransactionId));
      expect(sorted([...store.values()])).toEqual(sorted(truth()));

      for (const days of [1, 3, 7, 2, 14]) {
        await sandbox.advance(days);
        sandbox.injectFault({ endpoint: '/transactions/sync', kind: 'mutation_during_pagination', after: 1 });
        await syncAll();
        sandbox.clearFaults();
        expect(sorted([...store.values()])).toEqual(sorted(truth()));
      }
      expect(restarts).toBeGreaterThan(0);
      // Enrichment after posting shows up as modifications carrying a merchant name.
      expect(modifications).toBeGreaterThan(0);
      // Charges that were pending after the link settled: the pending id was removed and the
      // posted transaction points back at it.
      const settled = [...store.values()].filter(
        (t) => t.pendingTransactionId !== null && t.date > '2025-06-30',
      );
      expect(settled.length).toBeGreaterThan(5);
      expect(settled.every((t) => removedIds.has(t.pendingTransactionId ?? ''))).toBe(true);
      expect([...store.values()].some((t) => t.pending)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it('limits the initial history to days_requested and keeps balances consistent with it', async () => {
    const sandbox = await startPlaidSandbox({ seed: 4, historyDays: 400 });
    try {
      const provider = createPlaidProvider({ clientId: 'c', secret: 's', basePath: sandbox.url });
      const { accessToken } = await provider.exchangePublicToken(
        sandbox.createPublicToken('ins_109508', { daysRequested: 30 }),
      );
      const page = await provider.syncTransactions(accessToken, null);
      expect(page.added.length).toBeGreaterThan(0);
      expect(page.added.every((t) => t.date >= '2025-05-31')).toBe(true);
      const before = await provider.getBalances(accessToken);
      await sandbox.advance(10);
      let cursor = page.nextCursor;
      const added: ProviderTransaction[] = [];
      const removed = new Set<string>();
      for (let more = true; more; ) {
        const next = await provider.syncTransactions(accessToken, cursor);
        added.push(...next.added);
        for (const r of next.removed) removed.add(r.providerTransactionId);
        cursor = next.nextCursor;
        more = next.hasMore;
      }
      const after = await provider.getBalances(accessToken);
      const checking = (list: typeof before) => list.find((a) => a.subtype === 'checking');
      const checkingId = checking(before)?.providerAccountId;
      // Posted checking activity moved the balance by exactly its (signed) sum: no drift, no floats.
      const posted = added.filter((t) => t.providerAccountId === checkingId && !t.pending);
      expect(removed.size).toBeGreaterThan(0);
      const delta = posted.reduce((sum, t) => sum + t.amount, 0);
      expect((checking(after)?.balances.current ?? 0) - (checking(before)?.balances.current ?? 0)).toBe(
        delta,
      );
    } finally {
      await sandbox.close();
    }
  });
});
