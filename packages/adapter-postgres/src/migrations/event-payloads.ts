import { sql } from 'kysely';
import type { Migration } from './migration.js';

/** Events too large for a NOTIFY payload (8000 bytes) travel by reference through this table. */
export const eventPayloads: Migration = {
  version: 4,
  name: 'event-payloads',
  async up(db) {
    await sql`
      create table finkit_event_payloads (
        id text collate "C" primary key,
        payload jsonb not null,
        created_at timestamptz not null default now()
      );
      create index finkit_event_payloads_created_idx on finkit_event_payloads (created_at);
    `.execute(db);
  },
};
