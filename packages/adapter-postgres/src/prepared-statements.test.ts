import { type AggregateQuery, newBudgetSchema, type Store } from '@finkit/core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { seedConnection, transaction } from '../test/sync-fixtures.js';
import { createTestSchema, onServer, serverUrl, type TestSchema } from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import { migrate } from './migrate.js';

/** Executions of finkit's prepared statements in the pool's one session, by name. */
async function preparedRuns(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ name: string; runs: number }>(
    `select name, (generic_plans + custom_plans)::int as runs
     from pg_prepared_statements where name like 'finkit\\_%'`,
  );
  return new Map(rows.map((row) => [row.name, row.runs]));
}

const totalRuns = (runs: Map<string, number>) => [...runs.values()].reduce((sum, n) => sum + n, 0);

describe.skipIf(!serverUrl)(onServer('prepared statements'), () => {
  const opened: { schema: TestSchema; pools: pg.Pool[]; stores: Store[] }[] = [];
  afterEach(async () => {
    for (const { schema, pools, stores } of opened.splice(0)) {
      for (const store of stores) await store.close();
      for (const pool of pools) await pool.end();
      await schema.drop();
    }
  });

  /** A migrated schema, a one-connection pool (one session to inspect) and a seeded user. */
  async function setup(options: { preparedStatements?: boolean } = {}) {
    const schema = await createTestSchema(serverUrl!);
    await migrate(schema.pool);
    const pool = new pg.Pool({
      connectionString: serverUrl,
      options: `-c search_path=${schema.schema}`,
      max: 1,
    });
    const store = await createPostgresStore({ db: pool, ...options });
    opened.push({ schema, pools: [pool], stores: [store] });
    const { userId, batch } = await seedConnection(store);
    await store.applySyncBatch(
      batch([
        transaction('t-1', { date: '2024-05-02', amount: -1_250, categoryId: 'food_and_dining' }),
        transaction('t-2', { date: '2024-05-09', amount: -300, categoryId: 'food_and_dining' }),
        transaction('t-3', { date: '2024-05-10', amount: -999, categoryId: 'shopping' }),
      ]),
    );
    const budget = await store.budgets.create(
      userId,
      newBudgetSchema.parse({
        name: 'Food',
        categoryIds: ['food_and_dining'],
        amount: 10_000,
        currency: 'USD',
        startDate: '2024-01-01',
      }),
    );
    const query: AggregateQuery = {
      groupBy: 'category',
      filter: { from: '2024-05-01', to: '2024-05-31', categoryIds: ['food_and_dining'] },
    };
    const read = async () => ({
      page: await store.transactions.list(userId, {}, { limit: 2 }),
      snapshot: await store.budgets.snapshot!(userId, budget.id, query),
    });
    return { schema, pool, store, read };
  }

  it('a page of transactions and a budget snapshot run prepared, answering as plain queries do', async () => {
    const prepared = await setup();
    const first = await prepared.read();
    expect(first.page.items.map((row) => row.amount)).toEqual([-999, -300]);
    expect(first.snapshot?.spending).toEqual([
      { key: 'food_and_dining', currency: 'USD', inflow: 0, outflow: -1_550, count: 2 },
    ]);
    expect(await prepared.read(), 'the second, prepared, read').toEqual(first);
    const runs = await preparedRuns(prepared.pool);
    expect(runs.size, 'one statement per read kind').toBe(2);
    expect(totalRuns(runs)).toBe(4);

    const plain = await setup({ preparedStatements: false });
    const plainRead = await plain.read();
    expect(plainRead.snapshot?.spending).toEqual(first.snapshot?.spending);
    expect(plainRead.page.items.map((row) => row.amount)).toEqual([-999, -300]);
    expect((await preparedRuns(plain.pool)).size, 'preparedStatements: false prepares nothing').toBe(0);
  });

  it('a statement the server lost (a pooler reset the session) is answered by a plain query', async () => {
    const { pool, read } = await setup();
    const before = await read();
    await pool.query('deallocate all');
    expect(await read(), 'right after the reset').toEqual(before);
    expect(await read(), 'and later').toEqual(before);
    expect((await preparedRuns(pool)).size, 'it stopped preparing').toBe(0);
  });

  it('a session that already holds the statement (a pooler swapped sessions) is answered by a plain query', async () => {
    const { pool, read } = await setup();
    const before = await read();
    // What a transaction-mode pooler does: this client lands on a session whose statements it has
    // not prepared itself. pg then sends Parse again and the server answers 42P05.
    const client = await pool.connect();
    (client as unknown as { connection: { parsedStatements: object } }).connection.parsedStatements = {};
    client.release();
    expect(await read(), 'right after the swap').toEqual(before);
    expect(await read(), 'and later').toEqual(before);
  });

  it('a migration adding columns leaves prepared reads working, and still prepared', async () => {
    const { pool, read } = await setup();
    const before = await read();
    const runs = totalRuns(await preparedRuns(pool));
    await pool.query('alter table transactions add column later_column int');
    await pool.query('alter table budgets add column later_column int');
    expect(await read()).toEqual(before);
    expect(totalRuns(await preparedRuns(pool)), 'both reads ran their prepared statements').toBe(runs + 2);
  });
});
