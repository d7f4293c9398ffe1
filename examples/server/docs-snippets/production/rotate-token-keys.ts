import {
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  generateTokenKey,
  rotateAccessTokens,
} from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

export async function main() {
  const sandbox = await startPlaidSandbox({ historyDays: 30 });
  const provider = createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url });
  const store = createMemoryStore();
  const keys = { k1: generateTokenKey(), k2: generateTokenKey() };

  // Until now: one key.
  const before = createFinkit({
    store,
    provider,
    cipher: createTokenCipher({ keys: { k1: keys.k1 }, primaryKeyId: 'k1' }),
  });
  const { connection, initialSync } = await before.connections.link('user-1', sandbox.createPublicToken());
  await initialSync;

  // Step 1: deploy with both keys, the new one primary. New tokens use k2; old ones still decrypt.
  const both = createTokenCipher({ keys, primaryKeyId: 'k2' });
  // Step 2: re-encrypt what is stored. Step 3: deploy without k1.
  const { rotated, failed } = await rotateAccessTokens(store, both);
  if (failed.length > 0) throw new Error('keep k1: some tokens did not decrypt');
  const after = createFinkit({
    store,
    provider,
    cipher: createTokenCipher({ keys: { k2: keys.k2 }, primaryKeyId: 'k2' }),
  });
  const synced = await after.connections.sync('user-1', connection.id); // decrypts with k2 alone
  await sandbox.close();
  return { rotated, syncedWithNewKeyOnly: synced.connectionId === connection.id };
}
