import { FinkitError } from '../errors/finkit-error.js';
import type { BankProvider, SyncPage } from '../ports/bank-provider.js';
import { classifyProviderError } from './classify-provider-error.js';
import { backoffDelay, type RetryPolicy, retryProviderCall, sleep } from './retry-provider-call.js';

export interface FetchSyncPagesOptions {
  pageSize: number;
  /** Restarts allowed when the provider reports a mutation during pagination. */
  maxMutationRestarts: number;
  retry: RetryPolicy;
}

export interface FetchedSyncPages {
  pages: SyncPage[];
  nextCursor: string;
  /** How many times the run started over because the data changed while paging. */
  restarts: number;
}

/**
 * Reads every page from `startCursor` until the provider has no more, buffering them so nothing is
 * applied until the whole update is in. When the provider's data changes mid-way, the pages read
 * so far are stale: all of them are dropped and the run starts again from `startCursor`.
 */
export async function fetchSyncPages(
  provider: BankProvider,
  accessToken: string,
  startCursor: string | null,
  options: FetchSyncPagesOptions,
): Promise<FetchedSyncPages> {
  for (let restarts = 0; ; restarts++) {
    try {
      const pages: SyncPage[] = [];
      let cursor = startCursor;
      for (;;) {
        const from = cursor;
        const page = await retryProviderCall(options.retry, () =>
          provider.syncTransactions(accessToken, from, { count: options.pageSize }),
        );
        pages.push(page);
        if (page.hasMore && page.nextCursor === from) {
          // Guards against looping forever on a provider that never advances.
          throw new FinkitError('PROVIDER', 'The provider returned the same cursor with more pages to come', {
            details: { providerCode: 'CURSOR_DID_NOT_ADVANCE' },
          });
        }
        cursor = page.nextCursor;
        if (!page.hasMore) return { pages, nextCursor: page.nextCursor, restarts };
      }
    } catch (error) {
      if (classifyProviderError(error) !== 'mutation' || restarts >= options.maxMutationRestarts) throw error;
      await sleep(backoffDelay(options.retry, restarts));
    }
  }
}
