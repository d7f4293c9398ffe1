import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';

/** The real server, when the environment names one (CI does). */
export const serverUrl = process.env.FINKIT_TEST_DATABASE_URL;
export const noServerReason = 'FINKIT_TEST_DATABASE_URL is not set: no PostgreSQL server to test against';

/** A describe title that carries the skip reason when there is no server. */
export function onServer(title: string): string {
  return serverUrl
    ? `${title} on the PostgreSQL server`
    : `${title} on the PostgreSQL server (skipped: ${noServerReason})`;
}

export function createTestPGlite(): PGlite {
  return new PGlite({ extensions: { vector } });
}

export interface TestSchema {
  pool: pg.Pool;
  schema: string;
  drop(): Promise<void>;
}

/** A fresh schema on the server, so test files never see each other's rows. */
export async function createTestSchema(url: string): Promise<TestSchema> {
  const schema = `finkit_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
  return {
    pool,
    schema,
    async drop() {
      await pool.query(`drop schema ${schema} cascade`);
      await pool.end();
    },
  };
}

/**
 * Ends the backend waiting on a lock in this database (the one `locker` holds), once it is found
 * waiting: how a test kills a connection mid-statement. False when none waited within 5 s.
 */
export async function terminateLockWaiter(locker: pg.Client): Promise<boolean> {
  for (let i = 0; i < 100; i += 1) {
    const waiting = await locker.query<{ pid: number }>(
      `select pid from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
    );
    const pid = waiting.rows[0]?.pid;
    if (pid !== undefined) {
      await locker.query('select pg_terminate_backend($1)', [pid]);
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
