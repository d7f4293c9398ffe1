import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import type { Database } from './database.js';

/** The subset of PGlite this package relies on; its type is not imported so PGlite stays optional. */
export interface PGliteLike {
  query(text: string, params?: unknown[]): Promise<unknown>;
  exec(text: string): Promise<unknown>;
  waitReady: Promise<void>;
  close(): Promise<void>;
}

/** What the store and `migrate` accept: a Kysely instance, a `pg.Pool`, or a PGlite instance. */
export type DatabaseInput = Kysely<Database> | Pool | PGliteLike;

export interface OpenedDatabase {
  db: Kysely<Database>;
  /** Releases what opening created; never ends a pool or PGlite the caller passed in. */
  release(): Promise<void>;
}

export function isPGlite(input: unknown): input is PGliteLike {
  return (
    typeof input === 'object' &&
    input !== null &&
    'waitReady' in input &&
    typeof (input as PGliteLike).exec === 'function' &&
    typeof (input as PGliteLike).query === 'function'
  );
}

function isKysely(input: DatabaseInput): input is Kysely<Database> {
  return input instanceof Kysely || typeof (input as unknown as Kysely<Database>).selectFrom === 'function';
}

export async function openDatabase(input: DatabaseInput): Promise<OpenedDatabase> {
  if (isKysely(input)) return { db: input, release: async () => {} };
  if (isPGlite(input)) {
    // PGlite speaks the node-postgres client protocol through this shim, so one dialect serves both.
    const [{ createPgConfig }, pg] = await Promise.all([
      import('@electric-sql/pglite/node-postgres'),
      import('pg'),
    ]);
    const config = createPgConfig(input as unknown as PGlite);
    const pool = new pg.default.Pool({ ...config, max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    // Destroying the Kysely instance ends our shim pool; PGlite itself stays open (the caller owns it).
    return { db, release: () => db.destroy() };
  }
  const pool = input;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      // A pool the caller owns: Kysely must not end it when this wrapper is dropped.
      pool: { connect: () => pool.connect(), end: async () => {} },
    }),
  });
  return { db, release: () => db.destroy() };
}
