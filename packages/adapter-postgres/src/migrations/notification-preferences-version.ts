import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * A version per user's notification preferences: writes compare-and-set on it, so two updates at
 * once never lose one, and a client that read version n can ask to write only over version n.
 */
export const notificationPreferencesVersion: Migration = {
  version: 11,
  name: 'notification-preferences-version',
  async up(db) {
    await sql`alter table notification_preferences add column version bigint not null default 1`.execute(db);
  },
};
