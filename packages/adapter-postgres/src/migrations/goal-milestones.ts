import { sql } from 'kysely';
import type { Migration } from './migration.js';

/** Alert-once records for goals (`milestone:50`, `off_track:2025-03`); they go with their goal. */
export const goalMilestones: Migration = {
  version: 3,
  name: 'goal-milestones',
  async up(db) {
    await sql`
      create table goal_milestones (
        goal_id text collate "C" not null references goals (id) on delete cascade,
        user_id text not null,
        key text not null,
        recorded_at timestamptz not null,
        primary key (goal_id, key)
      )
    `.execute(db);
  },
};
