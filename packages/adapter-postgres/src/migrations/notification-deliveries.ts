import { sql } from 'kysely';
import type { Migration } from './migration.js';

/** The notifier's delivery log: one row per user, dedupe key and channel, with a lease. */
export const notificationDeliveries: Migration = {
  version: 5,
  name: 'notification-deliveries',
  async up(db) {
    await sql`
      create table notification_deliveries (
        user_id text not null,
        dedupe_key text not null,
        channel text not null,
        status text not null check (status in ('pending', 'delivered', 'failed')),
        attempts integer not null,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        delivered_at timestamptz,
        primary key (user_id, dedupe_key, channel)
      );
      create index notification_deliveries_user_idx
        on notification_deliveries (user_id, created_at desc, dedupe_key, channel);
    `.execute(db);
  },
};
