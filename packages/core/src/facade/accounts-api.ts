import type { Account } from '../schemas/account.js';
import type { SyncEngine } from '../sync/sync-engine.js';
import type { FinkitContext } from './finkit-context.js';
import { requireFound } from './require-found.js';

export interface AccountsApi {
  list(userId: string, options?: { connectionId?: string; includeClosed?: boolean }): Promise<Account[]>;
  get(userId: string, id: string): Promise<Account>;
  /** Fetches the real-time balance from the provider (Plaid `/accounts/balance/get`) and stores it. */
  refreshBalance(userId: string, id: string): Promise<Account>;
}

export function createAccountsApi({ store }: FinkitContext, engine: SyncEngine): AccountsApi {
  return {
    list: (userId, options) => store.accounts.list(userId, options),
    get: async (userId, id) => requireFound(await store.accounts.get(userId, id), 'Account', id),
    async refreshBalance(userId, id) {
      const account = requireFound(await store.accounts.get(userId, id), 'Account', id);
      const refreshed = await engine.refreshBalances(userId, account.connectionId);
      return requireFound(
        refreshed.find((a) => a.id === id) ?? (await store.accounts.get(userId, id)),
        'Account',
        id,
      );
    },
  };
}
