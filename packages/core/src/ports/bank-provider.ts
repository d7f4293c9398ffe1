import type { Balances } from '../schemas/account.js';
import type { ProviderCategory } from '../schemas/transaction.js';

/** An account as the provider reports it, already in finkit's units. */
export interface ProviderAccount {
  providerAccountId: string;
  name: string;
  officialName: string | null;
  type: 'depository' | 'credit' | 'loan' | 'investment' | 'other';
  subtype: string | null;
  mask: string | null;
  currency: string;
  balances: Balances;
}

/** A transaction as the provider reports it, converted at the boundary (signed minor units). */
export interface ProviderTransaction {
  providerTransactionId: string;
  providerAccountId: string;
  pendingTransactionId: string | null;
  date: string;
  authorizedDate: string | null;
  /** Signed minor units: negative is money out (Plaid's sign is the opposite). */
  amount: number;
  currency: string;
  description: string;
  merchantName: string | null;
  pending: boolean;
  providerCategory: ProviderCategory | null;
}

export interface ProviderRemovedTransaction {
  providerTransactionId: string;
  providerAccountId: string | null;
}

/** One page of `/transactions/sync`. */
export interface SyncPage {
  added: ProviderTransaction[];
  modified: ProviderTransaction[];
  removed: ProviderRemovedTransaction[];
  nextCursor: string;
  hasMore: boolean;
  /** Accounts with fresh balances, when the provider includes them with the page. */
  accounts: ProviderAccount[];
}

export interface LinkedItem {
  accessToken: string;
  itemId: string;
}

export interface ProviderItem {
  itemId: string;
  institutionId: string | null;
  institutionName: string | null;
  /** The provider's current error on the item (e.g. ITEM_LOGIN_REQUIRED), or null. */
  error: { code: string; message: string } | null;
}

/** What a verified provider webhook asks finkit to do. */
export type ProviderWebhook =
  | { kind: 'sync_updates_available'; itemId: string }
  | { kind: 'item_error'; itemId: string; code: string; message: string }
  | { kind: 'pending_expiration'; itemId: string; expiresAt: string | null }
  | { kind: 'user_permission_revoked'; itemId: string }
  | { kind: 'login_repaired'; itemId: string }
  /** Recognised but needing no action (legacy transaction webhooks, for example). */
  | { kind: 'ignored'; itemId: string | null; type: string; code: string };

export interface BankProviderCapabilities {
  webhooks: boolean;
}

/**
 * A source of bank data (Plaid). Methods throw FinkitError: `REAUTH_REQUIRED` when the user must
 * log in again, `RATE_LIMITED` (with `retryAfterMs`) when the provider throttles, `PROVIDER` for
 * anything else with `details.providerCode` and `details.requestId`. A sync page may throw
 * `PROVIDER` with providerCode `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION`: restart from the
 * first cursor of the run.
 */
export interface BankProvider {
  /** Short name recorded on connections, e.g. `plaid`. */
  readonly id: string;
  readonly capabilities: BankProviderCapabilities;
  createLinkToken(input: {
    userId: string;
    /** Update mode: re-authenticate an existing connection. */
    accessToken?: string;
    daysRequested?: number;
  }): Promise<{ linkToken: string; expiration: string }>;
  exchangePublicToken(publicToken: string): Promise<LinkedItem>;
  getItem(accessToken: string): Promise<ProviderItem>;
  getAccounts(accessToken: string): Promise<ProviderAccount[]>;
  /** Real-time balances (Plaid `/accounts/balance/get`). */
  getBalances(accessToken: string, providerAccountIds?: string[]): Promise<ProviderAccount[]>;
  /** One page of changes since `cursor` (null: from the beginning). */
  syncTransactions(
    accessToken: string,
    cursor: string | null,
    options?: { count?: number },
  ): Promise<SyncPage>;
  /** Historical transactions by date range with offset pagination. */
  getTransactions(
    accessToken: string,
    input: { startDate: string; endDate: string; offset?: number; count?: number },
  ): Promise<{ transactions: ProviderTransaction[]; totalTransactions: number }>;
  /** Asks the provider to look for new transactions now. */
  refreshTransactions(accessToken: string): Promise<void>;
  /** Revokes the access token at the provider. */
  removeItem(accessToken: string): Promise<void>;
  /**
   * Verifies a webhook's signature against the raw body and parses it.
   * @throws FinkitError `WEBHOOK_VERIFICATION` when it is not genuine or too old.
   */
  verifyWebhook(rawBody: string, headers: Record<string, string | undefined>): Promise<ProviderWebhook>;
}
