import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * What the notifier needs to outlive a restart: each user's web push subscriptions (one row per
 * user and endpoint) and each user's own notification preferences (one JSON document, read over
 * the app's defaults, so only what the user chose is stored).
 */
export const pushSubscriptions: Migration = {
  version: 9,
  name: 'push-subscriptions',
  async up(db) {
    await sql`
      create table push_subscriptions (
        user_id text not null,
        endpoint text collate "C" not null,
        p256dh text not null,
        auth text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (user_id, endpoint)
      );
      create table notification_preferences (
        user_id text primary key,
        preferences text not null,
        updated_at timestamptz not null
      );
    `.execute(db);
  },
};
