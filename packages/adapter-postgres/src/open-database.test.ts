import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPGlite } from '../test/test-databases.js';
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
