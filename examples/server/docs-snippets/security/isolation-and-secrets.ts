import { createFinkitApp } from '@finkit/adapter-hono';
import { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

export async function main() {
  const sandbox = await startPlaidSandbox({ historyDays: 30 });
  const store = createMemoryStore();
  const finkit = createFinkit({
    store,
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
  });
  const published: unknown[] = [];
  finkit.events.subscribe('*', (event) => published.push(event));
  const app = createFinkitApp(finkit, { authenticate: (c) => c.req.header('x-user') ?? null });
  const as = (user: string) => ({ 'x-user': user, 'content-type': 'application/json' });

  const body = JSON.stringify({ publicToken: sandbox.createPublicToken() });
  const linked = await (
    await app.request('/accounts/link', { method: 'POST', headers: as('alice'), body })
  ).text();
  const { initialSync } = await finkit.connections.link('carol', sandbox.createPublicToken());
  await initialSync;
  const carolsRow = (await finkit.transactions.list('carol', {}, { limit: 1 })).items[0]!;

  const accessTokens = sandbox.items().map((item) => item.accessToken);
  const [stored] = await store.connections.list('alice');
  const seenByOthers = await app.request(`/transactions/${carolsRow.id}`, { headers: as('alice') });
  await sandbox.close();
  return {
    // Plaid access tokens: encrypted at rest, never in a response or an event.
    storedEncrypted: stored!.encryptedAccessToken.startsWith('v1.k1.'),
    tokenLeaked: accessTokens.some(
      (token) =>
        linked.includes(token) ||
        JSON.stringify(published).includes(token) ||
        stored!.encryptedAccessToken.includes(token),
    ),
    // Another user's row is a missing row.
    othersRow: seenByOthers.status,
  };
}
