import { createFinkitApp } from '@finkit/adapter-hono';
import { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';
import { type Context, Hono } from 'hono';

export async function main() {
  const sandbox = await startPlaidSandbox(); // offline Plaid; drop basePath below for the real one
  const finkit = createFinkit({
    store: createMemoryStore(), // createEmbeddedStore / createPostgresStore to keep data
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
  });
  const app = new Hono(); // your existing app
  const authenticate = (c: Context) => c.req.header('x-user') ?? null; // your session's user id; null: 401
  app.route('/', createFinkitApp(finkit, { authenticate, basePath: '/api' }));

  const headers = { 'x-user': 'user-1', 'content-type': 'application/json' };
  const body = JSON.stringify({ publicToken: sandbox.createPublicToken() }); // from Plaid Link in a browser
  const linked = await app.request('/api/accounts/link', { method: 'POST', headers, body });
  const { accounts } = (await linked.json()) as { accounts: { id: string }[] };
  await app.request(`/api/accounts/${accounts[0]!.id}/sync`, { method: 'POST', headers }); // "sync now"
  const list = await app.request('/api/transactions?limit=3', { headers });
  await sandbox.close();
  return (await list.json()) as { items: { description: string; amount: number; categoryId: string }[] };
}
