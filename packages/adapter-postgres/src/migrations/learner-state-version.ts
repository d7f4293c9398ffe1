import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * A version per learned-state document: processes that cache it compare versions to see another
 * process's corrections, and writes compare-and-set on it so two processes never lose one.
 */
export const learnerStateVersion: Migration = {
  version: 8,
  name: 'learner-state-version',
  async up(db) {
    await sql`alter table learner_state add column version bigint not null default 1`.execute(db);
  },
};
