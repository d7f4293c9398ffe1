import type { Account } from '../schemas/account.js';
import type { FinkitContext } from './finkit-context.js';
import { requireFound } from './require-found.js';

export interface AccountsApi {
  list(userId: string, options?: { connectionId?: string; includeClosed?: boolean }): Promise<Account[]>;
  get(userId: string, id: string): Promise<Account>;
}

export function createAccountsApi({ store }: FinkitContext): AccountsApi {
  return {
    list: (userId, options) => store.accounts.list(userId, options),
    get: async (userId, id) => requireFound(await store.accounts.get(userId, id), 'Account', id),
  };
}
