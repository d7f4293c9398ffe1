import { sql } from 'kysely';
import type { Migration } from './migration.js';

/** What each user taught the categorizer, as one document (text: it is read and written whole). */
export const learnerState: Migration = {
  version: 6,
  name: 'learner-state',
  async up(db) {
    await sql`
      create table learner_state (
        user_id text primary key,
        state text not null,
        updated_at timestamptz not null
      )
    `.execute(db);
  },
};
