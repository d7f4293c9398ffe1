import { afterAll, describe, expect, it } from 'vitest';
import { createTestPGlite } from '../../test/test-databases.js';
import { migrate } from '../migrate.js';
import { openDatabase } from '../open-database.js';
import { pushSubscriptionOwner } from './push-subscription-owner.js';

describe('migration 10, push-subscription-owner', () => {
  const pglite = createTestPGlite();
  afterAll(() => pglite.close());

  it('keeps the most recently registered row of an endpoint two users held, then allows one owner', async () => {
    await migrate(pglite);
    // Back to the state before migration 10 ran, with rows it has to reconcile.
    await pglite.exec('drop index push_subscriptions_endpoint_key');
    const row = (user: string, endpoint: string, updatedAt: string) =>
      pglite.query(
        `insert into push_subscriptions (user_id, endpoint, p256dh, auth, created_at, updated_at)
         values ($1, $2, 'p', 'a', '2024-01-01T00:00:00Z', $3)`,
        [user, endpoint, updatedAt],
      );
    await row('alice', 'https://push.example.com/shared', '2024-01-02T00:00:00Z');
    await row('bob', 'https://push.example.com/shared', '2024-01-03T00:00:00Z');
    await row('carol', 'https://push.example.com/shared', '2024-01-01T00:00:00Z');
    await row('alice', 'https://push.example.com/own', '2024-01-01T00:00:00Z');

    const { db, release } = await openDatabase(pglite);
    try {
      await db.transaction().execute((trx) => pushSubscriptionOwner.up(trx, {}));
    } finally {
      await release();
    }
    const left = await pglite.query<{ user_id: string; endpoint: string }>(
      'select user_id, endpoint from push_subscriptions order by endpoint',
    );
    expect(left.rows).toEqual([
      { user_id: 'alice', endpoint: 'https://push.example.com/own' },
      { user_id: 'bob', endpoint: 'https://push.example.com/shared' },
    ]);
    await expect(row('dave', 'https://push.example.com/own', '2024-01-04T00:00:00Z')).rejects.toThrow(
      /push_subscriptions_endpoint_key/,
    );
  });
});
