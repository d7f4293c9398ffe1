import {
  type BankProvider,
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  type Finkit,
  generateTokenKey,
} from '@finkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { bearerJwtAuthenticate } from '../src/bearer-jwt-authenticate.js';
import { createFinkitApp } from '../src/create-finkit-app.js';
import { secret, tokenFor } from './app-fixture.js';

/** The parts of `@finkit/plaid` and its sandbox this test uses. */
interface PlaidSandboxLike {
  url: string;
  close(): Promise<void>;
  createPublicToken(): string;
  items(): { itemId: string; accessToken: string; removed: boolean }[];
  signWebhook(body: string): Promise<string>;
}
interface PlaidModules {
  createPlaidProvider(options: { clientId: string; secret: string; basePath: string }): BankProvider;
  startPlaidSandbox(options?: { clientId?: string; secret?: string }): Promise<PlaidSandboxLike>;
}

// @finkit/plaid is a workspace package this one does not depend on at runtime; with it as a
// devDependency these run against the real plaid client and the offline sandbox, else they skip.
async function loadPlaid(): Promise<PlaidModules | null> {
  const names = ['@finkit/plaid', '@finkit/plaid/sandbox'];
  try {
    const [provider, sandbox] = await Promise.all(names.map((name) => import(/* @vite-ignore */ name)));
    return { ...provider, ...sandbox } as PlaidModules;
  } catch {
    return null;
  }
}
const plaid = await loadPlaid();

describe.skipIf(!plaid)(
  'provider-backed routes against the Plaid sandbox (needs @finkit/plaid)',
  async () => {
    if (!plaid) return;
    const sandbox = await plaid.startPlaidSandbox({ clientId: 'client', secret: 'secret' });
    const kid = 'k1';
    const finkit: Finkit = createFinkit({
      store: createMemoryStore(),
      provider: plaid.createPlaidProvider({ clientId: 'client', secret: 'secret', basePath: sandbox.url }),
      cipher: createTokenCipher({ keys: { [kid]: generateTokenKey() }, primaryKeyId: kid }),
    });
    const app = createFinkitApp(finkit, { authenticate: bearerJwtAuthenticate({ secret }) });
    const token = await tokenFor('alice');
    const texts: string[] = [];
    async function call(method: string, path: string, body?: unknown) {
      const res = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      texts.push(text);
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    }
    afterAll(async () => {
      await finkit.close();
      await sandbox.close();
    });

    it('links, syncs, refreshes balances, takes webhooks and unlinks, never showing an access token', async () => {
      const linkToken = await call('POST', '/accounts/link-token');
      expect(linkToken.status).toBe(200);
      expect(typeof linkToken.body?.linkToken).toBe('string');

      const linked = await call('POST', '/accounts/link', { publicToken: sandbox.createPublicToken() });
      expect(linked.status).toBe(201);
      const accounts = linked.body?.accounts as { id: string }[];
      expect(accounts.length).toBeGreaterThan(0);
      const accountId = accounts[0]!.id;

      const synced = await call('POST', `/accounts/${accountId}/sync`);
      expect(synced.status).toBe(200);
      const page = await call('GET', '/transactions?limit=5');
      expect(((page.body?.items ?? []) as unknown[]).length).toBeGreaterThan(0);

      const balance = await call('GET', `/accounts/${accountId}/balance`);
      expect(balance.status).toBe(200);
      expect(balance.body).toMatchObject({ id: accountId, balances: { currency: expect.any(String) } });

      const item = sandbox.items()[0]!;
      const webhook = JSON.stringify({
        webhook_type: 'TRANSACTIONS',
        webhook_code: 'SYNC_UPDATES_AVAILABLE',
        item_id: item.itemId,
        initial_update_complete: true,
        historical_update_complete: true,
        environment: 'sandbox',
      });
      const genuine = await app.request('/webhooks/plaid', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'plaid-verification': await sandbox.signWebhook(webhook),
        },
        body: webhook,
      });
      expect(genuine.status).toBe(200);
      expect(await genuine.json()).toMatchObject({ action: 'sync' });
      const forged = await app.request('/webhooks/plaid', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'plaid-verification': await sandbox.signWebhook('{}'),
        },
        body: webhook,
      });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ error: { code: 'WEBHOOK_VERIFICATION' } });

      const unlinked = await call('DELETE', `/accounts/${accountId}`);
      expect(unlinked.status).toBe(204);
      expect(sandbox.items()[0]!.removed).toBe(true);
      expect((await call('GET', '/accounts')).body?.items).toEqual([]);

      for (const text of texts) expect(text).not.toContain(item.accessToken);
    });
  },
);
