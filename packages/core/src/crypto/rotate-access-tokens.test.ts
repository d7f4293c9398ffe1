import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../memory/memory-store.js';
import type { Store } from '../ports/store.js';
import type { TokenCipher } from '../ports/token-cipher.js';
import type { ConnectionStatus } from '../schemas/connection.js';
import { createTokenCipher } from './create-token-cipher.js';
import { generateTokenKey } from './generate-token-key.js';
import { rotateAccessTokens } from './rotate-access-tokens.js';

const keys = { k1: generateTokenKey(), k2: generateTokenKey(), lost: generateTokenKey() };

async function link(
  store: Store,
  cipher: TokenCipher,
  userId: string,
  item: string,
  status: ConnectionStatus,
) {
  const connection = await store.connections.create({
    userId,
    provider: 'plaid',
    providerItemId: item,
    institutionId: null,
    institutionName: null,
    encryptedAccessToken: await cipher.encrypt(`access-${item}`),
  });
  if (status !== 'active') await store.connections.update(userId, connection.id, { status });
  return connection;
}

describe('rotateAccessTokens', () => {
  it('re-encrypts every old token under the primary key, in every status, and keeps the plaintext', async () => {
    const store = createMemoryStore();
    const old = createTokenCipher({ keys: { k1: keys.k1 }, primaryKeyId: 'k1' });
    const both = createTokenCipher({ keys: { k1: keys.k1, k2: keys.k2 }, primaryKeyId: 'k2' });
    const statuses: ConnectionStatus[] = ['active', 'reauth_required', 'error', 'removed'];
    const linked = await Promise.all(
      statuses.map((status, i) => link(store, old, `user-${i % 2}`, `item-${status}`, status)),
    );
    const alreadyNew = await link(store, both, 'user-1', 'item-new', 'active');

    const report = await rotateAccessTokens(store, both);
    expect(report).toEqual({ rotated: statuses.length, current: 1, failed: [] });

    // The old key can now be retired: every token decrypts with the new key alone, unchanged.
    const newOnly = createTokenCipher({ keys: { k2: keys.k2 }, primaryKeyId: 'k2' });
    for (const connection of [...linked, alreadyNew]) {
      const stored = await store.connections.get(connection.userId, connection.id);
      expect(await newOnly.decrypt(stored?.encryptedAccessToken ?? '')).toBe(
        `access-${connection.providerItemId}`,
      );
    }
    const statusesAfter = await Promise.all(
      linked.map(async (c) => (await store.connections.get(c.userId, c.id))?.status),
    );
    expect(statusesAfter).toEqual(statuses);

    expect(await rotateAccessTokens(store, both)).toEqual({
      rotated: 0,
      current: statuses.length + 1,
      failed: [],
    });
  });

  it('reports a token whose key is gone, leaves it untouched, and still rotates the others', async () => {
    const store = createMemoryStore();
    const lostCipher = createTokenCipher({ keys: { lost: keys.lost }, primaryKeyId: 'lost' });
    const old = createTokenCipher({ keys: { k1: keys.k1 }, primaryKeyId: 'k1' });
    const orphan = await link(store, lostCipher, 'user-a', 'item-orphan', 'active');
    const fine = await link(store, old, 'user-b', 'item-fine', 'active');

    const report = await rotateAccessTokens(
      store,
      createTokenCipher({ keys: { k1: keys.k1, k2: keys.k2 }, primaryKeyId: 'k2' }),
    );

    expect(report.rotated).toBe(1);
    expect(report.failed).toEqual([
      { userId: 'user-a', connectionId: orphan.id, code: 'CRYPTO', message: expect.stringContaining('key') },
    ]);
    expect((await store.connections.get('user-a', orphan.id))?.encryptedAccessToken).toBe(
      orphan.encryptedAccessToken,
    );
    expect((await store.connections.get('user-b', fine.id))?.encryptedAccessToken).toMatch(/^v1\.k2\./);
  });
});
