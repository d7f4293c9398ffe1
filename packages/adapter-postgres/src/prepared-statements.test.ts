import { type AggregateQuery, newBudgetSchema, type Store } from '@finkit/core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { seedConnection, transaction } from '../test/sync-fixtures.js';
import { createTestPGlite, createTestSchema, onServer, serverUrl } from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import { toSqlLiteral } from './create-sql-prepared-statements.js';
import { migrate } from './migrate.js';

/** A database with one session to inspect (PGlite, or a one-connection pool): SQL in it, and drop. */
interface Session {
  db: pg.Pool | ReturnType<typeof createTestPGlite>;
  pool?: pg.Pool;
  query<R>(text: string): Promise<R[]>;
  close(): Promise<void>;
}

async function pgliteSession(): Promise<Session> {
  const db = createTestPGlite();
  await migrate(db);
  return { db, query: async (text) => (await db.query(text)).rows as never, close: () => db.close() };
}

async function serverSession(): Promise<Session> {
  const schema = await createTestSchema(serverUrl!);
  await migrate(schema.pool);
  const pool = new pg.Pool({
    connectionString: serverUrl,
    options: `-c search_path=${schema.schema}`,
    max: 1,
  });
  return {
    db: pool,
    pool,
    query: async (text) => (await pool.query(text)).rows,
    async close() {
      await pool.end();
      await schema.drop();
    },
  };
}

/** Executions of finkit's prepared statements in the session, by name. */
async function preparedRuns(session: Session): Promise<Map<string, number>> {
  const rows = await session.query<{ name: string; runs: number }>(
    `select name, (generic_plans + custom_plans)::int as runs
     from pg_prepared_statements where name like 'finkit\\_%'`,
  );
  return new Map(rows.map((row) => [row.name, row.runs]));
}

const totalRuns = (runs: Map<string, number>) => [...runs.values()].reduce((sum, n) => sum + n, 0);

describe.each([
  { name: 'PGlite (PREPARE and EXECUTE in SQL)', open: pgliteSession, skip: false },
  { name: onServer('PostgreSQL (named statements on the pool)'), open: serverSession, skip: !serverUrl },
])('prepared statements: $name', ({ open, skip }) => {
  const opened: { session: Session; store: Store }[] = [];
  afterEach(async () => {
    for (const { session, store } of opened.splice(0)) {
      await store.close();
      await session.close();
    }
  });

  /** A fresh database, a store on it and a seeded user with a budget; `read` does both hot reads. */
  async function setup(options: { preparedStatements?: boolean } = {}) {
    const session = await open();
    const store = await createPostgresStore({ db: session.db, ...options });
    opened.push({ session, store });
    const { userId, batch } = await seedConnection(store);
    await store.applySyncBatch(
      batch([
        transaction('t-1', {
          date: '2024-05-02',
          amount: -1_250,
          categoryId: 'food_and_dining',
          embedding: { model: 'm', vector: new Float32Array([1, 0.1, 0]) },
        }),
        transaction('t-2', {
          date: '2024-05-09',
          amount: -300,
          categoryId: 'food_and_dining',
          embedding: { model: 'm', vector: new Float32Array([1, 0.5, 0]) },
        }),
        transaction('t-3', {
          date: '2024-05-10',
          amount: -999,
          categoryId: 'shopping',
          description: "Joe's \\ café",
          embedding: { model: 'm', vector: new Float32Array([0, 1, 0]) },
        }),
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
    // The server here has no pgvector: there the search is not a read to prepare.
    const vectorSearch = store.capabilities.vectorSearch;
    const shapes = vectorSearch ? 4 : 3;
    const query: AggregateQuery = {
      groupBy: 'category',
      filter: { from: '2024-05-01', to: '2024-05-31', categoryIds: ['food_and_dining'] },
    };
    const read = async () => ({
      page: await store.transactions.list(userId, {}, { limit: 2 }),
      // Awkward text in a filter value travels as a literal on PGlite.
      search: await store.transactions.list(userId, { text: "joe's \\ caf" }, { limit: 5 }),
      snapshot: await store.budgets.snapshot(userId, budget.id, query),
      nearest: vectorSearch
        ? (await store.searchSimilar(userId, { vector: new Float32Array([1, 0, 0]), model: 'm', k: 2 })).map(
            (hit) => hit.transaction.providerTransactionId,
          )
        : [],
    });
    const search = async (text: string) =>
      (await store.transactions.list(userId, { text }, { limit: 5 })).items.map((row) => row.description);
    return { session, read, search, shapes, vectorSearch };
  }

  it.skipIf(skip)(
    'a page of transactions, a budget snapshot and a vector search run prepared, answering as plain queries do',
    async () => {
      const prepared = await setup();
      const first = await prepared.read();
      expect(first.page.items.map((row) => row.amount)).toEqual([-999, -300]);
      expect(first.search.items.map((row) => row.description)).toEqual(["Joe's \\ café"]);
      expect(first.snapshot?.spending).toEqual([
        { key: 'food_and_dining', currency: 'USD', inflow: 0, outflow: -1_550, count: 2 },
      ]);
      expect(await prepared.read(), 'the second, prepared, read').toEqual(first);
      const runs = await preparedRuns(prepared.session);
      expect(runs.size, 'one statement per read shape').toBe(prepared.shapes);
      expect(totalRuns(runs)).toBe(2 * prepared.shapes);
      if (prepared.vectorSearch) expect(first.nearest).toEqual(['t-1', 't-2']);

      const plain = await setup({ preparedStatements: false });
      // Another database and user: the same answers, field for field.
      const shape = (read: typeof first) => ({
        page: read.page.items.map((row) => [row.date, row.amount, row.description]),
        search: read.search.items.map((row) => row.description),
        spending: read.snapshot?.spending,
        nearest: read.nearest,
      });
      expect(shape(await plain.read())).toEqual(shape(first));
      expect((await preparedRuns(plain.session)).size, 'preparedStatements: false prepares nothing').toBe(0);
    },
  );

  it.skipIf(skip)(
    'hostile filter text is data: the same rows as a plain query, and no statement runs',
    async () => {
      const prepared = await setup();
      const plain = await setup({ preparedStatements: false });
      for (const text of ["'; drop table budgets; --", "\\'; drop table budgets; --", "joe's \\ caf", '$1']) {
        const [a, b] = await Promise.all([prepared.search(text), plain.search(text)]);
        expect(a, text).toEqual(b);
      }
      expect(await prepared.session.query('select count(*)::int as n from budgets')).toEqual([{ n: 1 }]);
      expect(await prepared.search("joe's \\ caf")).toHaveLength(1);
    },
  );

  it.skipIf(skip)(
    'a statement the session lost (a pooler reset it) is answered by a plain query',
    async () => {
      const { session, read } = await setup();
      const before = await read();
      await session.query('deallocate all');
      expect(await read(), 'right after the reset').toEqual(before);
      expect(await read(), 'and later').toEqual(before);
      expect((await preparedRuns(session)).size, 'it stopped preparing').toBe(0);
    },
  );

  it.skipIf(skip)(
    'a migration adding columns leaves prepared reads working, and still prepared',
    async () => {
      const { session, read, shapes } = await setup();
      const before = await read();
      const runs = totalRuns(await preparedRuns(session));
      await session.query('alter table transactions add column later_column int');
      await session.query('alter table budgets add column later_column int');
      expect(await read()).toEqual(before);
      expect(totalRuns(await preparedRuns(session)), 'the reads ran their prepared statements').toBe(
        runs + shapes,
      );
    },
  );
});

describe.skipIf(!serverUrl)(onServer('prepared statements behind a pooler'), () => {
  it('a session that already holds the statement (a pooler swapped sessions) is answered by a plain query', async () => {
    const session = await serverSession();
    const store = await createPostgresStore({ db: session.db });
    try {
      const { userId } = await seedConnection(store);
      const read = () => store.transactions.list(userId, {}, { limit: 2 });
      const before = await read();
      // What a transaction-mode pooler does: this client lands on a session whose statements it
      // has not prepared itself. pg then sends Parse again and the server answers 42P05.
      const client = await session.pool!.connect();
      (client as unknown as { connection: { parsedStatements: object } }).connection.parsedStatements = {};
      client.release();
      expect(await read(), 'right after the swap').toEqual(before);
      expect(await read(), 'and later').toEqual(before);
    } finally {
      await store.close();
      await session.close();
    }
  });
});

describe('toSqlLiteral', () => {
  it.each([
    [null, 'null'],
    ["it's", "E'it''s'"],
    ['back\\slash', "E'back\\\\slash'"],
    ["\\'; drop table x; --", "E'\\\\''; drop table x; --'"],
    [51, '51'],
    [-9_007_199_254_740_991, '-9007199254740991'],
    [true, 'true'],
    [[], "'{}'"],
    [['a', "b'c"], "ARRAY[E'a', E'b''c']"],
  ])('%s → %s', (value, literal) => {
    expect(toSqlLiteral(value)).toBe(literal);
  });

  it.each([
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    // EXECUTE would round a fraction into a bigint parameter where a bound value is refused.
    [1.5],
    [2 ** 53],
    [12n],
    // pg binds a Date in the process's time zone; a literal could only guess it.
    [new Date('2024-05-01T00:00:00Z')],
    ['nul\u0000byte'],
    [Buffer.from('x')],
    [[['nested']]],
    [[1, 2]],
    [{ a: 1 }],
  ])('has no literal for %s (the query runs plainly)', (value) => {
    expect(toSqlLiteral(value)).toBeUndefined();
  });

  it('round-trips every awkward string through PostgreSQL itself', async () => {
    const db = createTestPGlite();
    try {
      for (const text of ["it's", 'back\\slash', "\\'", "E'x'", '$1', 'ünï 💸', 'a\nb\tc', "''", '\\\\']) {
        await db.exec('set standard_conforming_strings = off');
        const off = await db.query<{ v: string }>(`select ${toSqlLiteral(text)}::text as v`);
        await db.exec('set standard_conforming_strings = on');
        const on = await db.query<{ v: string }>(`select ${toSqlLiteral(text)}::text as v`);
        expect([off.rows[0]?.v, on.rows[0]?.v]).toEqual([text, text]);
      }
    } finally {
      await db.close();
    }
  });
});
