import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestPGlite,
  createTestSchema,
  onServer,
  serverUrl,
  terminateLockWaiter,
} from '../test/test-databases.js';
import { openDatabase } from './open-database.js';

describe('openDatabase on one PGlite', () => {
  const pglite = createTestPGlite();
  afterAll(() => pglite.close());

  it("serializes two openers' transactions: one's rollback never undoes the other's insert", async () => {
    await pglite.exec('create table shared_session (v text)');
    const first = await openDatabase(pglite);
    const second = await openDatabase(pglite);
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    let finish!: () => void;
    const mayCommit = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const committing = first.db.transaction().execute(async (tx) => {
      await sql`insert into shared_session values ('kept')`.execute(tx);
      inserted();
      await mayCommit;
    });
    await insertDone;
    // While the first transaction is open, the second one starts, writes and rolls back.
    const rollingBack = second.db
      .transaction()
      .execute(async (tx) => {
        await sql`insert into shared_session values ('undone')`.execute(tx);
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await committing;
    expect(await rollingBack).toBe('roll back');
    const rows = await pglite.query<{ v: string }>('select v from shared_session');
    expect(rows.rows).toEqual([{ v: 'kept' }]);

    // The pool lives until its last user lets go, then the next opener gets a new one.
    await first.release();
    expect((await sql<{ n: number }>`select 1 as n`.execute(second.db)).rows).toEqual([{ n: 1 }]);
    await second.release();
    const third = await openDatabase(pglite);
    expect(third.db).not.toBe(second.db);
    expect((await sql<{ n: number }>`select 2 as n`.execute(third.db)).rows).toEqual([{ n: 2 }]);
    await third.release();
  });
});

describe.skipIf(!serverUrl)(onServer('openDatabase on a pg.Pool'), () => {
  it('a connection killed inside a transaction fails that transaction only: no uncaught error, the pool goes on', async () => {
    const target = await createTestSchema(serverUrl!);
    const locker = new pg.Client({ connectionString: serverUrl, options: `-c search_path=${target.schema}` });
    const { db, release } = await openDatabase(target.pool);
    try {
      await sql`create table held (id int primary key, v text)`.execute(db);
      await sql`insert into held values (1, 'before')`.execute(db);
      await locker.connect();
      // Hold the row, so the transaction waits on its second statement where we can find it.
      await locker.query('begin');
      await locker.query('select 1 from held where id = 1 for update');
      // Handled from the start: it may reject before the test gets to await it.
      const outcome = db
        .transaction()
        .execute(async (trx) => {
          await sql`select 1`.execute(trx);
          await sql`update held set v = 'during' where id = 1`.execute(trx);
        })
        .then(
          () => 'resolved',
          (error: unknown) => error,
        );
      expect(await terminateLockWaiter(locker), 'the transaction waits on the row').toBe(true);
      expect(await outcome, 'it rejected').toBeInstanceOf(Error);
      await locker.query('rollback');
      await sql`update held set v = 'after' where id = 1`.execute(db);
      const { rows } = await sql<{ v: string }>`select v from held`.execute(db);
      expect(rows).toEqual([{ v: 'after' }]);
    } finally {
      await release();
      await locker.end();
      await target.drop();
    }
  });
});
