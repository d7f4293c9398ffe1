import { createEmbeddedStore } from '@finkit/adapter-postgres';
import { createFinkit, createTokenCipher, generateTokenKey } from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

export async function main() {
  const sandbox = await startPlaidSandbox({ historyDays: 60 });
  // PGlite: PostgreSQL in WebAssembly, with pgvector, migrated on open. No server needed.
  // Give it a dataDir to keep the data on disk ('./finkit-data'); without one it lives in memory.
  const store = await createEmbeddedStore();
  const finkit = createFinkit({
    store,
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
  });
  const { initialSync } = await finkit.connections.link('user-1', sandbox.createPublicToken());
  const synced = await initialSync;
  const page = await finkit.transactions.list('user-1', { text: 'coffee' }, { limit: 100 });
  await finkit.close();
  await store.close(); // the store is yours to close
  await sandbox.close();
  return { added: synced?.added, coffee: page.items.length, capabilities: store.capabilities };
}
