import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import type { MigrationContext } from './migrations/migration.js';
import { migrations } from './migrations/migrations.js';
import { type DatabaseInput, openDatabase } from './open-database.js';

export interface MigrateResult {
  /** Versions this call applied, in order; empty when the schema was current. */
  applied: number[];
  /** The newest version now in place. */
  version: number;
}

/**
 * Brings the finkit tables in the current schema (the first on `search_path`) up to date. All
 * pending migrations run in one transaction under an advisory lock keyed by the schema, so two
 * processes migrating at once serialize and the second finds nothing left to do.
 */
export async function migrate(input: DatabaseInput, options: MigrationContext = {}): Promise<MigrateResult> {
  const { db, release } = await openDatabase(input);
  try {
    return await db.transaction().execute((trx) => migrateWithin(trx, options));
  } finally {
    await release();
  }
}

async function migrateWithin(db: Kysely<Database>, options: MigrationContext): Promise<MigrateResult> {
  await sql`select pg_advisory_xact_lock(hashtext('finkit_migrations:' || current_schema()))`.execute(db);
  await sql`
    create table if not exists finkit_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )
  `.execute(db);
  const done = new Set(
    (await db.selectFrom('finkit_migrations').select('version').execute()).map((row) => row.version),
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await migration.up(db, options);
    await db
      .insertInto('finkit_migrations')
      .values({ version: migration.version, name: migration.name })
      .execute();
    applied.push(migration.version);
  }
  const version = Math.max(0, ...done, ...applied);
  return { applied, version };
}
