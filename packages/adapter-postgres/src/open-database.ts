import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { checkOutClient } from './check-out-client.js';
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
  /** The caller's `pg.Pool`, when that is what was passed in. */
  pool?: Pool;
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

/**
 * PGlite is one database session. Two pools on it would interleave their transactions in that one
 * session (one pool's rollback undoing another's uncommitted insert), so every store, migration
 * and index build on one PGlite shares a single one-connection pool: a transaction then has the
 * session to itself until it ends. Counted, so the pool ends with its last user.
 */
const sharedPGlitePools = new WeakMap<PGliteLike, { db: Promise<Kysely<Database>>; users: number }>();

async function openPGlitePool(input: PGliteLike): Promise<Kysely<Database>> {
  // PGlite speaks the node-postgres client protocol through this shim, so one dialect serves both.
  const [{ createPgConfig }, pg] = await Promise.all([
    import('@electric-sql/pglite/node-postgres'),
    import('pg'),
  ]);
  const pool = new pg.default.Pool({ ...createPgConfig(input as unknown as PGlite), max: 1 });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function openDatabase(input: DatabaseInput): Promise<OpenedDatabase> {
  if (isKysely(input)) return { db: input, release: async () => {} };
  if (isPGlite(input)) {
    let shared = sharedPGlitePools.get(input);
    if (!shared) {
      shared = { db: openPGlitePool(input), users: 0 };
      sharedPGlitePools.set(input, shared);
    }
    shared.users += 1;
    const entry = shared;
    let db: Kysely<Database>;
    try {
      db = await entry.db;
    } catch (error) {
      // A failed open is not remembered: the next opener tries again.
      entry.users -= 1;
      if (sharedPGlitePools.get(input) === entry) sharedPGlitePools.delete(input);
      throw error;
    }
    let released = false;
    return {
      db,
      async release() {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.users > 0) return;
        sharedPGlitePools.delete(input);
        // Ends our shim pool; PGlite itself stays open (the caller owns it).
        await db.destroy();
      },
    };
  }
  const pool = input;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      // A pool the caller owns: Kysely must not end it when this wrapper is dropped.
      pool: { connect: () => checkOutListening(pool), end: async () => {} },
    }),
  });
  // A pool over a connection object rather than a socket (PGlite's node-postgres shim) is not a
  // server: its protocol shim does not survive COPY FROM STDIN or errors in named statements.
  const overShim = (pool as { options?: { connection?: unknown } }).options?.connection !== undefined;
  return { db, release: () => db.destroy(), ...(!overShim && { pool }) };
}

/** A client for Kysely, listening for its errors while held (see checkOutClient). */
async function checkOutListening(pool: Pool) {
  const { client, release } = await checkOutClient(pool);
  return { query: client.query.bind(client) as PoolClient['query'], release };
}
