import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Deliveries the notifier holds (quiet hours, a digest) or may resume after a crash: a `held`
 * status and the payload to send. The partial index keeps the background sender's "what is due"
 * query on the few rows still carrying a payload, not on the whole log.
 */
export const notificationHolds: Migration = {
  version: 7,
  name: 'notification-holds',
  async up(db) {
    await sql`
      alter table notification_deliveries add column payload text;
      alter table notification_deliveries drop constraint notification_deliveries_status_check;
      alter table notification_deliveries add constraint notification_deliveries_status_check
        check (status in ('held', 'pending', 'delivered', 'failed'));
      create index notification_deliveries_due_idx
        on notification_deliveries (lease_until nulls first)
        where payload is not null;
    `.execute(db);
  },
};
