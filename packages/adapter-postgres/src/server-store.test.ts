import { FinkitError, type Store } from '@finkit/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConnection, transaction } from '../test/sync-fixtures.js';
import { createTestSchema, onServer, serverUrl, type TestSchema } from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import { createVectorIndex } from './create-vector-index.js';
import { migrate } from './migrate.js';

describe.skipIf(!serverUrl)(onServer('createPostgresStore'), () => {
  let target: TestSchema;
  // A second pool stands in for a second process: its own connections, same schema.
  let otherPool: pg.Pool;
  let store: Store;
  let other: Store;

  beforeAll(async () => {
    target = await createTestSchema(serverUrl!);
    await migrate(target.pool, { embeddingDimensions: 3 });
    otherPool = new pg.Pool({
      connectionString: serverUrl,
      options: `-c search_path=${target.schema}`,
      max: 2,
    });
    store = await createPostgresStore({ db: target.pool });
    other = await createPostgresStore({ db: otherPool });
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
    await otherPool?.end();
    await target?.drop();
  });

  it('without pgvector, search is unavailable with the fix named, and everything else works', async () => {
    const available = await target.pool.query(`select 1 from pg_extension where extname = 'vector'`);
    expect(store.capabilities).toEqual({ vectorSearch: available.rowCount === 1, crossProcess: true });
    if (available.rowCount === 1) return; // this server has pgvector: the contract suite covers search
    const { userId, batch } = await seedConnection(store);
    const { added } = await store.applySyncBatch(
      batch([transaction('t-1', { embedding: { model: 'm', vector: new Float32Array([0.5, 0.25, 0]) } })]),
    );
    const stored = await target.pool.query(
      'select embedding from transaction_embeddings where transaction_id = $1',
      [added[0]],
    );
    expect(stored.rows).toEqual([{ embedding: [0.5, 0.25, 0] }]);
    const search = store.searchSimilar(userId, { vector: new Float32Array([1, 0, 0]), model: 'm', k: 1 });
    await expect(search).rejects.toSatisfy(
      (error) =>
        FinkitError.hasCode(error, 'CAPABILITY_UNAVAILABLE') &&
        error.message.includes('CREATE EXTENSION vector'),
    );
    await expect(createVectorIndex(target.pool)).rejects.toSatisfy((error) =>
      FinkitError.hasCode(error, 'CAPABILITY_UNAVAILABLE'),
    );
  });

  it('two processes applying batches from one cursor serialize: one wins, the other gets CONFLICT', async () => {
    const { userId, connection, batch } = await seedConnection(store);
    const first = batch([transaction('a-1')], { expectedCursor: null, nextCursor: 'from-a' });
    const second = batch([transaction('b-1')], { expectedCursor: null, nextCursor: 'from-b' });
    const outcomes = await Promise.allSettled([store.applySyncBatch(first), other.applySyncBatch(second)]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(FinkitError.hasCode((lost[0] as PromiseRejectedResult).reason, 'CONFLICT')).toBe(true);
    const winner = outcomes[0]!.status === 'fulfilled' ? 'a' : 'b';
    const stored = await target.pool.query('select cursor from connections where id = $1', [connection.id]);
    expect(stored.rows[0].cursor).toBe(`from-${winner}`);
    const rows = await target.pool.query(
      'select provider_transaction_id from transactions where connection_id = $1',
      [connection.id],
    );
    expect(rows.rows).toEqual([{ provider_transaction_id: `${winner}-1` }]);
    expect((await other.connections.get(userId, connection.id))?.cursor).toBe(`from-${winner}`);
  });

  it('a threshold crossing and a notification are recorded once when two processes race', async () => {
    const { userId } = await seedConnection(store);
    const budget = await store.budgets.create(userId, {
      name: 'Food',
      categoryIds: [],
      amount: 50_000,
      currency: 'USD',
      period: 'monthly',
      periodStartDay: 1,
      weekStartsOn: 1,
      timezone: 'UTC',
      startDate: '2024-01-01',
      endDate: null,
      rollover: false,
      thresholds: [80],
      includePending: true,
    });
    const crossings = await Promise.all(
      [store, other, store, other].map((s) =>
        s.budgets.recordThresholdCrossing(userId, budget.id, '2024-05-01', 80),
      ),
    );
    expect(crossings.filter(Boolean)).toHaveLength(1);
    const input = { type: 'budget.threshold_crossed', dedupeKey: 'k-1', title: 't', body: 'b', data: {} };
    const created = await Promise.all([store, other].map((s) => s.notifications.create(userId, input)));
    expect(created.filter((result) => result.created)).toHaveLength(1);
    expect(created[0]!.notification.id).toBe(created[1]!.notification.id);
  });
});
