import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedConnection, transaction } from '../test/sync-fixtures.js';
import { createEmbeddedStore } from './create-embedded-store.js';

describe('createEmbeddedStore', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('in memory (no dataDir) also has vector search', async () => {
    const store = await createEmbeddedStore();
    expect(store.capabilities).toEqual({ vectorSearch: true, crossProcess: false });
    await store.close();
  });

  it('keeps data on disk across close and reopen, with vector search', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'finkit-embedded-'));
    dirs.push(dataDir);
    const store = await createEmbeddedStore({ dataDir, embeddingDimensions: 3 });
    expect(store.capabilities).toEqual({ vectorSearch: true, crossProcess: false });
    const { userId, batch } = await seedConnection(store);
    const { added } = await store.applySyncBatch(
      batch([transaction('disk-1', { embedding: { model: 'm', vector: new Float32Array([0, 1, 0]) } })]),
    );
    await store.close();

    const reopened = await createEmbeddedStore({ dataDir, embeddingDimensions: 3 });
    expect((await reopened.transactions.get(userId, added[0]!))?.providerTransactionId).toBe('disk-1');
    const hits = await reopened.searchSimilar(userId, {
      vector: new Float32Array([0, 1, 0]),
      model: 'm',
      k: 5,
    });
    expect(hits.map((hit) => hit.transaction.id)).toEqual(added);
    await reopened.close();
  });
});
