import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * A browser's push endpoint belongs to one user, the last one to register it: with one row per
 * user and endpoint, a shared device that changed hands kept getting its earlier user's
 * notifications. Where an endpoint has several rows, the most recently registered one stays.
 */
export const pushSubscriptionOwner: Migration = {
  version: 10,
  name: 'push-subscription-owner',
  async up(db) {
    // Writers wait for the index: a duplicate registered between the delete and the index would
    // fail the migration.
    await sql`
      lock table push_subscriptions in share row exclusive mode;
      delete from push_subscriptions older
      using push_subscriptions newer
      where older.endpoint = newer.endpoint
        and (older.updated_at, older.user_id collate "C") < (newer.updated_at, newer.user_id collate "C");
      create unique index push_subscriptions_endpoint_key on push_subscriptions (endpoint);
    `.execute(db);
  },
};
