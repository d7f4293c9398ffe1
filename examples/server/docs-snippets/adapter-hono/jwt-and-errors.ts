import { bearerJwtAuthenticate, createFinkitApp } from '@finkit/adapter-hono';
import { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { sign } from 'hono/jwt';

export async function main() {
  const finkit = createFinkit({
    store: createMemoryStore(),
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret' }), // not called below
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
  });
  const secret = 'a-long-random-secret-from-your-config';
  const app = createFinkitApp(finkit, {
    authenticate: bearerJwtAuthenticate({ secret }), // the user id is the token's `sub`
    limits: { rateLimit: { max: 100 } }, // per user per minute
  });
  const auth = async (sub: string) => ({
    authorization: `Bearer ${await sign({ sub }, secret, 'HS256')}`,
    'content-type': 'application/json',
  });

  const anonymous = await app.request('/budgets'); // 401
  const created = await app.request('/budgets', {
    method: 'POST',
    headers: await auth('alice'),
    body: JSON.stringify({ name: 'Groceries', amount: 40_000, currency: 'USD', startDate: '2026-01-01' }),
  });
  const budget = (await created.json()) as { id: string; thresholds: number[] };
  const invalid = await app.request('/budgets', {
    method: 'POST',
    headers: await auth('alice'),
    body: JSON.stringify({ name: 'Float', amount: 12.5, currency: 'USD', startDate: '2026-01-01' }),
  });
  const othersBudget = await app.request(`/budgets/${budget.id}`, { headers: await auth('bob') });
  const openapi = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
  return {
    anonymous: anonymous.status,
    created: created.status,
    thresholds: budget.thresholds,
    invalid: { status: invalid.status, body: await invalid.json() },
    othersBudget: { status: othersBudget.status, body: await othersBudget.json() },
    paths: Object.keys(openapi.paths).length,
  };
}
