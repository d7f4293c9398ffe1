import { inspect } from 'node:util';
import { type BankProvider, FinkitError } from '@finkit/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidProvider } from '../src/index.js';
import { type PlaidSandbox, startPlaidSandbox } from '../src/sandbox/index.js';

let sandbox: PlaidSandbox;
let provider: BankProvider;
let accessToken: string;
let itemId: string;

beforeAll(async () => {
  sandbox = await startPlaidSandbox({ seed: 3, historyDays: 60 });
  provider = createPlaidProvider({
    clientId: 'client',
    secret: 'secret',
    basePath: sandbox.url,
    timeoutMs: 300,
    defaultRetryAfterMs: 12_345,
  });
  ({ accessToken, itemId } = await provider.exchangePublicToken(sandbox.createPublicToken('ins_109508')));
});
afterEach(() => sandbox.clearFaults());
afterAll(() => sandbox.close());

async function failure(promise: Promise<unknown>): Promise<FinkitError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!FinkitError.isInstance(error)) throw new Error(`expected a FinkitError, got ${String(error)}`);
  return error;
}

describe('Plaid errors become FinkitErrors', () => {
  it('rate limits: RATE_LIMITED honouring Retry-After', async () => {
    sandbox.injectFault({ endpoint: '/transactions/sync', kind: 'rate_limit', retryAfterSeconds: 7 });
    const error = await failure(provider.syncTransactions(accessToken, null));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.details).toMatchObject({
      providerCode: 'TRANSACTIONS_SYNC_LIMIT',
      errorType: 'RATE_LIMIT_EXCEEDED',
      status: 429,
      requestId: expect.any(String),
    });
  });

  it('rate limits without Retry-After fall back to the configured wait', async () => {
    sandbox.injectFault({ endpoint: '/accounts/get', kind: 'rate_limit', retryAfterSeconds: null });
    const error = await failure(provider.getAccounts(accessToken));
    expect([error.code, error.retryAfterMs]).toEqual(['RATE_LIMITED', 12_345]);
  });

  it('server errors: PROVIDER with Plaid code, status and request id', async () => {
    sandbox.injectFault({ endpoint: '*', kind: 'server_error', times: 2 });
    for (const attempt of [provider.getItem(accessToken), provider.getBalances(accessToken)]) {
      const error = await failure(attempt);
      expect(error.code).toBe('PROVIDER');
      expect(error.details).toMatchObject({
        providerCode: 'INTERNAL_SERVER_ERROR',
        errorType: 'API_ERROR',
        status: 500,
      });
    }
    // The fault was used up: the third call succeeds.
    await expect(provider.getItem(accessToken)).resolves.toMatchObject({ itemId });
  });

  it('ITEM_LOGIN_REQUIRED: REAUTH_REQUIRED, as a fault and as item state', async () => {
    sandbox.injectFault({ endpoint: '/transactions/get', kind: 'item_login_required' });
    const fault = await failure(
      provider.getTransactions(accessToken, { startDate: '2025-06-01', endDate: '2025-06-30' }),
    );
    expect(fault.code).toBe('REAUTH_REQUIRED');
    expect(fault.details).toMatchObject({
      providerCode: 'ITEM_LOGIN_REQUIRED',
      errorType: 'ITEM_ERROR',
      status: 400,
    });

    sandbox.resetLogin(itemId);
    expect((await failure(provider.syncTransactions(accessToken, null))).code).toBe('REAUTH_REQUIRED');
    expect((await provider.getItem(accessToken)).error).toMatchObject({ code: 'ITEM_LOGIN_REQUIRED' });
    await sandbox.repairLogin(itemId);
    expect((await provider.getItem(accessToken)).error).toBeNull();
  });

  it('mutation during pagination: injected, and for real when data changes between pages', async () => {
    sandbox.injectFault({ endpoint: '/transactions/sync', kind: 'mutation_during_pagination', after: 1 });
    const first = await provider.syncTransactions(accessToken, null, { count: 10 });
    expect(first.hasMore).toBe(true);
    const injected = await failure(provider.syncTransactions(accessToken, first.nextCursor, { count: 10 }));
    expect(injected.code).toBe('PROVIDER');
    expect(injected.details.providerCode).toBe('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');

    await expect(
      provider.syncTransactions(accessToken, first.nextCursor, { count: 10 }),
    ).resolves.toMatchObject({
      hasMore: true,
    });
    await sandbox.advance(3);
    const real = await failure(provider.syncTransactions(accessToken, first.nextCursor, { count: 10 }));
    expect(real.details.providerCode).toBe('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
  });

  it('never carries the access token or the secret, not even in its cause', async () => {
    sandbox.injectFault({ endpoint: '/accounts/get', kind: 'server_error' });
    const error = await failure(provider.getAccounts(accessToken));
    const printed = inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(printed).toContain('INTERNAL_SERVER_ERROR');
    expect(printed).not.toContain(accessToken);
    expect(printed).not.toContain('secret');
  });

  it('timeouts and unreachable servers: PROVIDER with providerCode NETWORK_ERROR', async () => {
    sandbox.injectFault({ endpoint: '/accounts/balance/get', kind: 'timeout' });
    const timedOut = await failure(provider.getBalances(accessToken));
    expect(timedOut.code).toBe('PROVIDER');
    expect(timedOut.details).toMatchObject({ providerCode: 'NETWORK_ERROR', timedOut: true, status: null });

    const closed = await startPlaidSandbox({ historyDays: 0 });
    await closed.close();
    const nowhere = createPlaidProvider({ clientId: 'c', secret: 's', basePath: closed.url });
    const refused = await failure(nowhere.createLinkToken({ userId: 'u' }));
    expect(refused.details).toMatchObject({
      providerCode: 'NETWORK_ERROR',
      timedOut: false,
      networkCode: 'ECONNREFUSED',
    });
  });
});
