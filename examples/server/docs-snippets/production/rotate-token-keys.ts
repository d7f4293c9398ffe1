import {
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  generateTokenKey,
  type Store,
  type TokenCipher,
} from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

/** Re-encrypts every stored access token still under an old key. Safe to run again. */
export async function rotateAccessTokens(store: Store, cipher: TokenCipher) {
  let rotated = 0;
  for (const c of await store.connections.listByStatus(['active', 'reauth_required', 'error', 'removed'])) {
    if (!cipher.needsRotation(c.encryptedAccessToken)) continue;
    const token = await cipher.decrypt(c.encryptedAccessToken);
    await store.connections.update(c.userId, c.id, { encryptedAccessToken: await cipher.encrypt(token) });
    rotated += 1;
  }
  return rotated;
}

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
  const rotated = await rotateAccessTokens(store, both);
  const after = createFinkit({
    store,
    provider,
    cipher: createTokenCipher({ keys: { k2: keys.k2 }, primaryKeyId: 'k2' }),
  });
  const synced = await after.connections.sync('user-1', connection.id); // decrypts with k2 alone
  await sandbox.close();
  return { rotated, syncedWithNewKeyOnly: synced.connectionId === connection.id };
}
