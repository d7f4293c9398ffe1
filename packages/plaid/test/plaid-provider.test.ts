import { type BankProvider, FinkitError } from '@finkit/core';
import { Configuration, PlaidApi } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidProvider } from '../src/index.js';
import { type PlaidSandbox, startPlaidSandbox } from '../src/sandbox/index.js';

let sandbox: PlaidSandbox;
let provider: BankProvider;
let raw: PlaidApi;
const asOf = new Date('2025-06-30T12:00:00.000Z');

beforeAll(async () => {
  sandbox = await startPlaidSandbox({ seed: 7, historyDays: 120 });
  provider = createPlaidProvider({
    clientId: 'client',
    secret: 'secret',
    basePath: sandbox.url,
    clock: { now: () => asOf },
  });
  raw = new PlaidApi(
    new Configuration({
      basePath: sandbox.url,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': 'client', 'PLAID-SECRET': 'secret' } },
    }),
  );
});
afterAll(() => sandbox.close());

async function link(institutionId = 'ins_109508') {
  return provider.exchangePublicToken(sandbox.createPublicToken(institutionId));
}

describe('createPlaidProvider against the sandbox over HTTP', () => {
  it('creates link tokens, also in update mode', async () => {
    const token = await provider.createLinkToken({ userId: 'user-1', daysRequested: 30 });
    expect(token.linkToken).toMatch(/^link-sandbox-/);
    expect(Number.isNaN(Date.parse(token.expiration))).toBe(false);
    const { accessToken } = await link();
    const update = await provider.createLinkToken({ userId: 'user-1', accessToken });
    expect(update.linkToken).not.toBe(token.linkToken);
  });

  it('exchanges a public token once, and reads the item', async () => {
    const publicToken = sandbox.createPublicToken('ins_109511');
    const linked = await provider.exchangePublicToken(publicToken);
    expect(linked.accessToken).toMatch(/^access-sandbox-/);
    await expect(provider.exchangePublicToken(publicToken)).rejects.toMatchObject({
      code: 'PROVIDER',
      details: { providerCode: 'INVALID_PUBLIC_TOKEN', status: 400, errorType: 'INVALID_INPUT' },
    });
    const item = await provider.getItem(linked.accessToken);
    expect(item).toEqual({
      itemId: linked.itemId,
      institutionId: 'ins_109511',
      institutionName: 'Tartan Bank',
      error: null,
    });
  });

  it('reads accounts and real-time balances in minor units', async () => {
    const { accessToken } = await link();
    const accounts = await provider.getAccounts(accessToken);
    expect(accounts.map((a) => [a.name, a.type, a.subtype, a.mask])).toEqual([
      ['Plaid Checking', 'depository', 'checking', '0000'],
      ['Plaid Saving', 'depository', 'savings', '1111'],
      ['Plaid Credit Card', 'credit', 'credit card', '3333'],
    ]);
    for (const account of accounts) {
      expect(Number.isSafeInteger(account.balances.current)).toBe(true);
      expect(account.currency).toBe('USD');
      expect(account.balances.asOf).toEqual(asOf);
    }
    expect(accounts[2]?.balances.limit).toBe(1_000_000);
    const credit = accounts[2]?.providerAccountId ?? '';
    const balances = await provider.getBalances(accessToken, [credit]);
    expect(balances.map((a) => a.providerAccountId)).toEqual([credit]);
    expect(balances[0]?.balances).toEqual(accounts[2]?.balances);
  });

  it('syncs the initial history, then nothing new', async () => {
    const { accessToken, itemId } = await link();
    const first = await provider.syncTransactions(accessToken, null);
    expect(first.hasMore).toBe(false);
    expect(first.added.length).toBe(sandbox.truth(itemId).length);
    expect(first.added.length).toBeGreaterThan(50);
    expect(first.accounts).toHaveLength(3);
    const again = await provider.syncTransactions(accessToken, first.nextCursor);
    expect([again.added.length, again.modified.length, again.removed.length, again.hasMore]).toEqual([
      0,
      0,
      0,
      false,
    ]);
  });

  it('pages historical transactions by offset', async () => {
    const { accessToken } = await link();
    const startDate = '2025-05-01';
    const endDate = '2025-06-30';
    const firstPage = await provider.getTransactions(accessToken, { startDate, endDate, count: 25 });
    const all = [...firstPage.transactions];
    while (all.length < firstPage.totalTransactions) {
      const page = await provider.getTransactions(accessToken, {
        startDate,
        endDate,
        count: 25,
        offset: all.length,
      });
      expect(page.transactions.length).toBeGreaterThan(0);
      all.push(...page.transactions);
    }
    expect(new Set(all.map((t) => t.providerTransactionId)).size).toBe(firstPage.totalTransactions);
    expect(all.every((t) => t.date >= startDate && t.date <= endDate)).toBe(true);
    // Newest first, like Plaid.
    expect(all.map((t) => t.date)).toEqual([...all.map((t) => t.date)].sort().reverse());
  });

  it('refreshes and removes an item, after which its token is dead', async () => {
    const { accessToken } = await link();
    await provider.refreshTransactions(accessToken);
    await provider.removeItem(accessToken);
    const error = await provider.getAccounts(accessToken).catch((e: unknown) => e);
    expect(FinkitError.hasCode(error, 'PROVIDER')).toBe(true);
    expect((error as FinkitError).details).toMatchObject({
      providerCode: 'INVALID_ACCESS_TOKEN',
      status: 400,
    });
    expect((error as FinkitError).details.requestId).toEqual(expect.any(String));
  });

  it('answers the sandbox-only and reference endpoints with the plaid client', async () => {
    const { data: institution } = await raw.institutionsGetById({
      institution_id: 'ins_109509',
      country_codes: ['US' as never],
    });
    expect(institution.institution.name).toBe('First Gingham Credit Union');
    const { data: created } = await raw.sandboxPublicTokenCreate({
      institution_id: 'ins_109510',
      initial_products: ['transactions' as never],
      options: { override_username: 'user_good', override_password: 'pass_good' },
    });
    const { data: exchanged } = await raw.itemPublicTokenExchange({ public_token: created.public_token });
    expect(exchanged.item_id).toHaveLength(37);
    const badLogin = await raw
      .sandboxPublicTokenCreate({
        institution_id: 'ins_109510',
        initial_products: ['transactions' as never],
        options: { override_username: 'user_good', override_password: 'wrong' },
      })
      .catch((e: { response: { data: unknown } }) => e.response.data);
    expect(badLogin).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'INVALID_CREDENTIALS' });

    const accessToken = exchanged.access_token;
    const noWebhook = await raw
      .sandboxItemFireWebhook({ access_token: accessToken, webhook_code: 'SYNC_UPDATES_AVAILABLE' as never })
      .catch((e: { response: { data: unknown } }) => e.response.data);
    expect(noWebhook).toMatchObject({ error_code: 'INVALID_FIELD' });
    const { data: updated } = await raw.itemWebhookUpdate({
      access_token: accessToken,
      webhook: 'http://127.0.0.1:9/hook',
    });
    expect(updated.item.webhook).toBe('http://127.0.0.1:9/hook');
    const { data: fired } = await raw.sandboxItemFireWebhook({
      access_token: accessToken,
      webhook_code: 'SYNC_UPDATES_AVAILABLE' as never,
    });
    expect(fired.webhook_fired).toBe(true);
    expect(sandbox.webhookDeliveries.at(-1)).toMatchObject({ url: 'http://127.0.0.1:9/hook', status: null });

    const { data: reset } = await raw.sandboxItemResetLogin({ access_token: accessToken });
    expect(reset.reset_login).toBe(true);
    expect((await provider.getItem(accessToken)).error?.code).toBe('ITEM_LOGIN_REQUIRED');
    await expect(provider.getAccounts(accessToken)).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
  });

  it('is strict about client id and secret only when told to', async () => {
    const strict = await startPlaidSandbox({ clientId: 'id', secret: 'right', historyDays: 10 });
    try {
      const good = createPlaidProvider({ clientId: 'id', secret: 'right', basePath: strict.url });
      const bad = createPlaidProvider({ clientId: 'id', secret: 'wrong', basePath: strict.url });
      await expect(good.createLinkToken({ userId: 'u' })).resolves.toMatchObject({
        linkToken: expect.any(String),
      });
      await expect(bad.createLinkToken({ userId: 'u' })).rejects.toMatchObject({
        code: 'PROVIDER',
        details: { providerCode: 'INVALID_API_KEYS' },
      });
    } finally {
      await strict.close();
    }
  });
});
