import { type BankProvider, type Clock, FinkitError, systemClock } from '@finkit/core';
import { Configuration, type CountryCode, PlaidApi, PlaidEnvironments, type Products } from 'plaid';
import {
  createPlaidWebhookVerifier,
  type PlaidWebhookKey,
  type PlaidWebhookVerifier,
} from './create-plaid-webhook-verifier.js';
import { mapPlaidAccount } from './map-plaid-account.js';
import { mapPlaidError } from './map-plaid-error.js';
import { mapPlaidTransaction } from './map-plaid-transaction.js';

export interface PlaidProviderOptions {
  clientId: string;
  secret: string;
  /** Which Plaid environment to call; ignored when `basePath` is given. Default `sandbox`. */
  environment?: 'sandbox' | 'production';
  /** Any Plaid-compatible server, e.g. `@finkit/plaid/sandbox`'s `url`. */
  basePath?: string;
  /** Sent with every link token so new items report to it. */
  webhookUrl?: string;
  /** Default `['transactions']`. */
  products?: string[];
  /** Default `['US']`. */
  countryCodes?: string[];
  /** Shown to users in Link. Default `finkit`. */
  clientName?: string;
  /** Link's language. Default `en`. */
  language?: string;
  clock?: Clock;
  /** Overrides how webhook keys are fetched (by default `/webhook_verification_key/get`). */
  fetchKey?: (keyId: string) => Promise<PlaidWebhookKey>;
  /** Per-request timeout; a timeout becomes PROVIDER with providerCode NETWORK_ERROR. Default 30 s. */
  timeoutMs?: number;
  /** The wait suggested after a rate limit when Plaid sends no Retry-After. Default 30 s. */
  defaultRetryAfterMs?: number;
  /** `count` for `/transactions/sync` when the caller gives none. Default 500, Plaid's maximum. */
  syncPageSize?: number;
}

/** The BankProvider on Plaid's official client. */
export function createPlaidProvider(options: PlaidProviderOptions): BankProvider {
  if (!options.clientId || !options.secret) {
    throw new FinkitError('VALIDATION', 'createPlaidProvider needs a clientId and a secret');
  }
  const clock = options.clock ?? systemClock;
  const basePath = options.basePath ?? PlaidEnvironments[options.environment ?? 'sandbox'];
  const client = new PlaidApi(
    new Configuration({
      basePath,
      baseOptions: {
        timeout: options.timeoutMs ?? 30_000,
        headers: { 'PLAID-CLIENT-ID': options.clientId, 'PLAID-SECRET': options.secret },
      },
    }),
  );

  const call = async <T>(request: () => Promise<{ data: T }>): Promise<T> => {
    try {
      return (await request()).data;
    } catch (error) {
      throw mapPlaidError(error, {
        defaultRetryAfterMs: options.defaultRetryAfterMs,
        now: () => clock.now(),
      });
    }
  };

  let verifier: PlaidWebhookVerifier | undefined;
  const webhookVerifier = (): PlaidWebhookVerifier => {
    verifier ??= createPlaidWebhookVerifier({
      clock,
      fetchKey:
        options.fetchKey ??
        (async (keyId) => (await call(() => client.webhookVerificationKeyGet({ key_id: keyId }))).key),
    });
    return verifier;
  };

  return {
    id: 'plaid',
    capabilities: { webhooks: true },

    async createLinkToken(input) {
      const update = input.accessToken !== undefined;
      const data = await call(() =>
        client.linkTokenCreate({
          client_name: options.clientName ?? 'finkit',
          language: options.language ?? 'en',
          country_codes: (options.countryCodes ?? ['US']) as CountryCode[],
          user: { client_user_id: input.userId },
          // Update mode re-authenticates an existing item; Plaid rejects products there.
          ...(update
            ? { access_token: input.accessToken }
            : {
                products: (options.products ?? ['transactions']) as Products[],
                ...(input.daysRequested === undefined
                  ? {}
                  : { transactions: { days_requested: input.daysRequested } }),
              }),
          ...(options.webhookUrl ? { webhook: options.webhookUrl } : {}),
        }),
      );
      return { linkToken: data.link_token, expiration: data.expiration };
    },

    async exchangePublicToken(publicToken) {
      const data = await call(() => client.itemPublicTokenExchange({ public_token: publicToken }));
      return { accessToken: data.access_token, itemId: data.item_id };
    },

    async getItem(accessToken) {
      const { item } = await call(() => client.itemGet({ access_token: accessToken }));
      return {
        itemId: item.item_id,
        institutionId: item.institution_id ?? null,
        institutionName: item.institution_name ?? null,
        error: item.error ? { code: item.error.error_code, message: item.error.error_message } : null,
      };
    },

    async getAccounts(accessToken) {
      const data = await call(() => client.accountsGet({ access_token: accessToken }));
      const asOf = clock.now();
      return data.accounts.map((account) => mapPlaidAccount(account, asOf));
    },

    async getBalances(accessToken, providerAccountIds) {
      const data = await call(() =>
        client.accountsBalanceGet({
          access_token: accessToken,
          ...(providerAccountIds ? { options: { account_ids: providerAccountIds } } : {}),
        }),
      );
      const asOf = clock.now();
      return data.accounts.map((account) => mapPlaidAccount(account, asOf));
    },

    async syncTransactions(accessToken, cursor, syncOptions) {
      const data = await call(() =>
        client.transactionsSync({
          access_token: accessToken,
          ...(cursor ? { cursor } : {}),
          count: syncOptions?.count ?? options.syncPageSize ?? 500,
          options: { include_personal_finance_category: true },
        }),
      );
      const asOf = clock.now();
      return {
        added: data.added.map(mapPlaidTransaction),
        modified: data.modified.map(mapPlaidTransaction),
        removed: data.removed.map((r) => ({
          providerTransactionId: r.transaction_id,
          providerAccountId: r.account_id ?? null,
        })),
        nextCursor: data.next_cursor,
        hasMore: data.has_more,
        accounts: (data.accounts ?? []).map((account) => mapPlaidAccount(account, asOf)),
      };
    },

    async getTransactions(accessToken, input) {
      const data = await call(() =>
        client.transactionsGet({
          access_token: accessToken,
          start_date: input.startDate,
          end_date: input.endDate,
          options: {
            offset: input.offset ?? 0,
            count: input.count ?? 100,
            include_personal_finance_category: true,
          },
        }),
      );
      return {
        transactions: data.transactions.map(mapPlaidTransaction),
        totalTransactions: data.total_transactions,
      };
    },

    async refreshTransactions(accessToken) {
      await call(() => client.transactionsRefresh({ access_token: accessToken }));
    },

    async removeItem(accessToken) {
      await call(() => client.itemRemove({ access_token: accessToken }));
    },

    verifyWebhook(rawBody, headers) {
      return webhookVerifier().verify(rawBody, headers);
    },
  };
}
