import { FinkitError, type Store, type SyncTransactionInput } from '@finkit/core';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { account, seedConnection, transaction } from '../test/sync-fixtures.js';
import {
  createTestPGlite,
  createTestSchema,
  onServer,
  serverUrl,
  type TestSchema,
  terminateLockWaiter,
} from '../test/test-databases.js';
import { createPostgresStore } from './create-postgres-store.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';

// Values that an array or JSON literal could mangle (quotes, backslashes, separators, braces, the
// word NULL, non-ASCII), that COPY's text format could (tab, newline, CR, `\N`, `\.`, the empty
// string next to NULL), and floats that need every digit of a float32.
const awkward = [
  'say "hi"',
  'back\\slash',
  'a,b',
  '{braces}',
  'NULL',
  'ünï 💸',
  "it's",
  'tab\there',
  'two\nlines\r\n',
  '\\N',
  '\\.',
  '',
];
// Money at the edge of what a JS number holds exactly, both signs.
const amounts = [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 - 2, -100];

function awkwardInput(i: number, amount: number): SyncTransactionInput {
  return transaction(`awk-${i}`, {
    amount: i < amounts.length ? amounts[i]! : amount,
    description: awkward[i % awkward.length]!,
    merchantName: i % 2 === 0 ? null : awkward[(i + 1) % awkward.length]!,
    tags: [awkward[i % awkward.length]!, awkward[(i + 3) % awkward.length]!],
    providerCategory: {
      primary: awkward[(i + 2) % awkward.length]!,
      detailed: 'X\\"Y',
      confidenceLevel: null,
      version: 'v2',
    },
    categoryConfidence: 1 / 3,
    embedding: {
      model: 'm',
      vector: Float32Array.of(Math.fround(1 / 3), Math.fround(-1e-7) * (i + 1), Math.fround(12345.678)),
    },
  });
}

/** Reads one stored embedding back as numbers, bypassing the store. */
type ReadEmbedding = (transactionId: string) => Promise<number[]>;
/** Plain SQL, bypassing the store. */
type Query = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** The columns a COPY or an array literal could get wrong, as PostgreSQL prints them. */
async function readRaw(query: Query, connectionId: string) {
  const rows = await query(
    `select provider_transaction_id, amount::text as amount, description, merchant_name,
       array_to_json(tags)::text as tags, provider_category::text as provider_category
     from transactions where connection_id = $1`,
    [connectionId],
  );
  return new Map(rows.map((row) => [row.provider_transaction_id as string, row]));
}

function expectRaw(stored: Record<string, unknown> | undefined, input: SyncTransactionInput) {
  expect(stored).toBeDefined();
  expect(stored!.amount).toBe(String(input.amount));
  expect(stored!.description).toBe(input.description);
  expect(stored!.merchant_name).toBe(input.merchantName);
  expect(JSON.parse(stored!.tags as string)).toEqual(input.tags);
  expect(JSON.parse(stored!.provider_category as string)).toEqual(input.providerCategory);
}

async function checkRoundTrip(store: Store, readEmbedding: ReadEmbedding, query: Query) {
  const { userId, connection, batch } = await seedConnection(store);
  const first = Array.from({ length: 2 * awkward.length }, (_, i) => awkwardInput(i, -100 - i));
  const added = await store.applySyncBatch(batch(first));
  expect(added.added).toHaveLength(first.length);
  const inserted = await readRaw(query, connection.id);
  for (const input of first) expectRaw(inserted.get(input.providerTransactionId), input);
  // Half of them again with a new amount (the upsert path), the rest unchanged.
  const second = first.map((input, i) => (i % 2 === 0 ? { ...input, amount: input.amount - 1 } : input));
  const changed = await store.applySyncBatch(batch(second));
  expect(changed).toMatchObject({ added: [], removed: [] });
  expect(changed.modified).toHaveLength(first.length / 2);
  const updated = await readRaw(query, connection.id);
  for (const input of second) expectRaw(updated.get(input.providerTransactionId), input);

  const stored = await store.transactions.list(userId, {}, { limit: 100, cursor: null });
  const byProviderId = new Map(stored.items.map((row) => [row.providerTransactionId, row]));
  for (const input of second) {
    const row = byProviderId.get(input.providerTransactionId);
    expect(row).toMatchObject({
      amount: input.amount,
      description: input.description,
      merchantName: input.merchantName,
      tags: input.tags,
      providerCategory: input.providerCategory,
      categoryConfidence: input.categoryConfidence,
    });
  }
  for (const input of second) {
    const stored = await readEmbedding(byProviderId.get(input.providerTransactionId)!.id);
    // Text forms print the shortest decimal of each float32; rounding back must give it exactly.
    expect(stored.map(Math.fround)).toEqual(Array.from(input.embedding!.vector));
  }
}

describe('applySyncBatch bulk writes on PGlite', () => {
  const pglite = createTestPGlite();
  afterAll(() => pglite.close());

  it('store awkward text, tags, JSON and float32 vectors exactly, on insert and on update', async () => {
    await migrate(pglite, { embeddingDimensions: 3 });
    const store = await createPostgresStore({ db: pglite });
    await checkRoundTrip(
      store,
      async (id) => {
        const result = await pglite.query<{ embedding: string }>(
          'select embedding::text from transaction_embeddings where transaction_id = $1',
          [id],
        );
        return JSON.parse(result.rows[0]!.embedding) as number[];
      },
      async (text, params) => (await pglite.query<Record<string, unknown>>(text, params)).rows,
    );
    await store.close();
  }, 60_000);
});

/**
 * A fresh migrated schema with a store on its pool and another on a pool of its own (`otherMax`
 * connections), which stands in for a second process; everything is closed and dropped after.
 */
async function withTwoProcesses(
  otherMax: number,
  fn: (context: { target: TestSchema; store: Store; other: Store }) => Promise<void>,
): Promise<void> {
  const target = await createTestSchema(serverUrl!);
  const otherPool = new pg.Pool({
    connectionString: serverUrl,
    options: `-c search_path=${target.schema}`,
    max: otherMax,
  });
  try {
    await migrate(target.pool);
    const store = await createPostgresStore({ db: target.pool });
    const other = await createPostgresStore({ db: otherPool });
    try {
      await fn({ target, store, other });
    } finally {
      await store.close();
      await other.close();
    }
  } finally {
    await otherPool.end();
    await target.drop();
  }
}

describe.skipIf(!serverUrl)(onServer('applySyncBatch bulk writes'), () => {
  // A store given the pg.Pool inserts new rows with COPY; one given a Kysely instance with unnest.
  for (const given of ['pg.Pool', 'Kysely instance'] as const) {
    it(`store awkward text, tags, JSON and embeddings exactly, on insert and on update (given a ${given})`, async () => {
      const target = await createTestSchema(serverUrl!);
      const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: target.pool }) });
      try {
        await migrate(target.pool);
        const store = await createPostgresStore({ db: given === 'pg.Pool' ? target.pool : kysely });
        await checkRoundTrip(
          store,
          async (id) => {
            // No pgvector on this server: the column is real[], which pg returns as numbers.
            const result = await target.pool.query<{ embedding: number[] }>(
              'select embedding from transaction_embeddings where transaction_id = $1',
              [id],
            );
            return result.rows[0]!.embedding.map(Number);
          },
          async (text, params) => (await target.pool.query(text, params)).rows,
        );
        await store.close();
      } finally {
        await target.drop();
      }
    }, 60_000);
  }

  it('a failure after the new rows went in rolls back the rows, accounts and cursor, and the pool stays usable', async () => {
    const target = await createTestSchema(serverUrl!);
    try {
      await migrate(target.pool);
      const store = await createPostgresStore({ db: target.pool });
      const { connection, batch } = await seedConnection(store);
      await store.applySyncBatch(batch([transaction('kept')], { nextCursor: 'before' }));
      // Embeddings are written after the COPY of the rows they belong to: make that write fail.
      await target.pool.query(`
        create function refuse_embedding() returns trigger language plpgsql as
          $$ begin raise exception 'refused for the test'; end $$;
        create trigger refuse_embedding before insert on transaction_embeddings
          for each row execute function refuse_embedding();
      `);
      const failing = batch(
        Array.from({ length: 50 }, (_, i) =>
          transaction(`new-${i}`, {
            providerAccountId: 'acc-2',
            embedding: { model: 'm', vector: Float32Array.of(1, 2, 3) },
          }),
        ),
        { accounts: [account('acc-1'), account('acc-2')], nextCursor: 'after' },
      );
      // Every client of the pool in turn, so one left mid-transaction would show below.
      for (let i = 0; i < 5; i += 1) await expect(store.applySyncBatch(failing)).rejects.toThrow(/refused/);
      const rows = await target.pool.query(
        'select provider_transaction_id from transactions where connection_id = $1',
        [connection.id],
      );
      expect(rows.rows).toEqual([{ provider_transaction_id: 'kept' }]);
      const accounts = await target.pool.query(
        'select provider_account_id from accounts where connection_id = $1',
        [connection.id],
      );
      expect(accounts.rows).toEqual([{ provider_account_id: 'acc-1' }]);
      const cursor = await target.pool.query('select cursor from connections where id = $1', [connection.id]);
      expect(cursor.rows).toEqual([{ cursor: 'before' }]);
      await target.pool.query('drop trigger refuse_embedding on transaction_embeddings');
      const { added } = await store.applySyncBatch(failing);
      expect(added).toHaveLength(50);
      await store.close();
    } finally {
      await target.drop();
    }
  }, 60_000);

  it('two batches adding the same rows to one connection at once serialize: no duplicate, no unique violation', async () => {
    await withTwoProcesses(2, async ({ target, store, other }) => {
      for (let round = 0; round < 5; round += 1) {
        const { connection, batch } = await seedConnection(store);
        const rows = Array.from({ length: 200 }, (_, i) => transaction(`same-${i}`));
        const results = await Promise.all([
          store.applySyncBatch(batch(rows)),
          other.applySyncBatch(batch(rows.map((row) => ({ ...row, amount: row.amount - 1 })))),
        ]);
        // Whichever ran second found the first one's rows and changed them instead of adding.
        expect(results.map((result) => result.added.length).sort()).toEqual([0, 200]);
        expect(results.map((result) => result.modified.length).sort()).toEqual([0, 200]);
        const stored = await target.pool.query(
          'select count(*)::int as n from transactions where connection_id = $1',
          [connection.id],
        );
        expect(stored.rows).toEqual([{ n: 200 }]);
      }
    });
  }, 60_000);

  it('a batch after one of only new rows guesses its rows new too, and still merges those another process stored meanwhile', async () => {
    await withTwoProcesses(1, async ({ target, store, other }) => {
      const { userId, connection, batch } = await seedConnection(store);
      // Nothing of this batch was stored: the next batch on the connection skips the probe.
      await store.applySyncBatch(batch([transaction('first')]));
      const stored = await other.applySyncBatch(batch([transaction('theirs')]));
      const result = await store.applySyncBatch(
        batch([transaction('theirs', { amount: -1 }), transaction('new')]),
      );
      expect(result.added).toHaveLength(1);
      expect(result.modified).toEqual(stored.added);
      expect((await store.transactions.get(userId, stored.added[0]!))?.amount).toBe(-1);
      const count = await target.pool.query(
        'select count(*)::int as n from transactions where connection_id = $1',
        [connection.id],
      );
      expect(count.rows).toEqual([{ n: 3 }]);
    });
  }, 60_000);

  it('a connection killed mid-batch fails that batch only: no uncaught error, nothing written, the pool goes on', async () => {
    const target = await createTestSchema(serverUrl!);
    const locker = new pg.Client({ connectionString: serverUrl, options: `-c search_path=${target.schema}` });
    try {
      await migrate(target.pool);
      const store = await createPostgresStore({ db: target.pool });
      const { connection, batch } = await seedConnection(store);
      await locker.connect();
      // Hold the connection row, so the batch waits on its first statement where we can find it.
      await locker.query('begin');
      await locker.query('select 1 from connections where id = $1 for update', [connection.id]);
      // Handled from the start: it may reject before the test gets to await it.
      const outcome = store.applySyncBatch(batch([transaction('killed-1')])).then(
        () => 'resolved',
        (error: unknown) => error,
      );
      expect(await terminateLockWaiter(locker), 'the batch waits on the connection row').toBe(true);
      expect(await outcome, 'it rejected').toBeInstanceOf(Error);
      await locker.query('rollback');
      const stored = await target.pool.query('select count(*)::int as n from transactions');
      expect(stored.rows).toEqual([{ n: 0 }]);
      const { added } = await store.applySyncBatch(batch([transaction('after-1')]));
      expect(added).toHaveLength(1);
      await store.close();
    } finally {
      await locker.end();
      await target.drop();
    }
  }, 60_000);

  it('a pg.Pool over PGlite (its node-postgres shim) is written through unnest, not COPY', async () => {
    const pglite = createTestPGlite();
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    try {
      await migrate(pglite);
      const store = await createPostgresStore({ db: pool });
      const { userId, batch } = await seedConnection(store);
      const { added } = await store.applySyncBatch(batch([transaction('shim-1'), transaction('shim-2')]));
      expect(added).toHaveLength(2);
      expect((await store.transactions.list(userId, {}, { limit: 5 })).items).toHaveLength(2);
      await store.close();
    } finally {
      await pool.end();
      await pglite.close();
    }
  });

  it('rows may name an account an earlier batch brought and this one does not carry', async () => {
    const target = await createTestSchema(serverUrl!);
    try {
      await migrate(target.pool);
      const store = await createPostgresStore({ db: target.pool });
      const { userId, batch } = await seedConnection(store);
      await store.applySyncBatch(batch([], { accounts: [account('acc-1'), account('acc-2')] }));
      const { added } = await store.applySyncBatch(batch([transaction('t', { providerAccountId: 'acc-2' })]));
      const accounts = await store.accounts.list(userId);
      const stored = await store.transactions.get(userId, added[0]!);
      expect(stored?.accountId).toBe(accounts.find((a) => a.providerAccountId === 'acc-2')?.id);
      const unknown = store.applySyncBatch(batch([transaction('u', { providerAccountId: 'acc-3' })]));
      await expect(unknown).rejects.toSatisfy((error) => FinkitError.hasCode(error, 'VALIDATION'));
      await store.close();
    } finally {
      await target.drop();
    }
  }, 60_000);
});

/**
 * What applySyncBatch reads under the connection lock (on a pg.Pool all in the one message that
 * begins the transaction), checked through the store: categories, accounts, someone else's connection.
 */
async function checkReadsUnderLock(store: Store) {
  const { userId, batch } = await seedConnection(store);
  const other = await seedConnection(store);
  const own = await store.categories.create(userId, { name: 'Own', kind: 'expense', parentId: null });
  const theirs = await store.categories.create(other.userId, {
    name: 'Theirs',
    kind: 'expense',
    parentId: null,
  });

  const first = await store.applySyncBatch(batch([transaction('own', { categoryId: own.id })]));
  expect(first.added).toHaveLength(1);
  expect((await store.transactions.get(userId, first.added[0]!))?.categoryId).toBe(own.id);
  for (const categoryId of [theirs.id, 'no-such-category']) {
    const rejected = store.applySyncBatch(batch([transaction(`bad-${categoryId}`, { categoryId })]));
    await expect(rejected).rejects.toSatisfy((error) => FinkitError.hasCode(error, 'VALIDATION'));
  }
  expect((await store.transactions.list(userId, {}, { limit: 10 })).items).toHaveLength(1);

  // Unchanged accounts are not rewritten; a balance that moved is, and rows still find the account.
  const [before] = await store.accounts.list(userId);
  await store.applySyncBatch(batch([transaction('same-accounts')]));
  expect(await store.accounts.list(userId)).toEqual([before]);
  const moved = { ...account('acc-1'), balances: { ...account('acc-1').balances, current: 42 } };
  const { added } = await store.applySyncBatch(batch([transaction('moved')], { accounts: [moved] }));
  const [after] = await store.accounts.list(userId);
  expect(after).toMatchObject({ id: before!.id, balances: { current: 42 } });
  expect((await store.transactions.get(userId, added[0]!))?.accountId).toBe(before!.id);

  // Provider ids that an array literal must quote and escape are found again, not added twice.
  const odd = ['q"uote', 'back\\slash', "it's", 'a,b', '{brace}', 'NULL', ' space ', 'ünï'];
  const oddAdded = await store.applySyncBatch(batch(odd.map((id) => transaction(id))));
  expect(oddAdded.added).toHaveLength(odd.length);
  const oddAgain = await store.applySyncBatch(batch(odd.map((id) => transaction(id, { amount: -7 }))));
  expect(oddAgain).toMatchObject({ added: [], modified: expect.arrayContaining(oddAdded.added) });

  // Someone else's connection: NOT_FOUND, and its cursor and rows stay as they were.
  const theirsRow = await store.applySyncBatch(
    other.batch([transaction('theirs')], { nextCursor: 'theirs' }),
  );
  const intrusion = store.applySyncBatch({
    ...batch([transaction('theirs', { amount: 1 })], { nextCursor: 'stolen' }),
    connectionId: other.connection.id,
  });
  await expect(intrusion).rejects.toSatisfy((error) => FinkitError.hasCode(error, 'NOT_FOUND'));
  expect((await store.connections.get(other.userId, other.connection.id))?.cursor).toBe('theirs');
  expect((await store.transactions.get(other.userId, theirsRow.added[0]!))?.amount).toBe(-1_250);
}

describe('applySyncBatch reads under the connection lock', () => {
  it('on PGlite', async () => {
    const pglite = createTestPGlite();
    try {
      await migrate(pglite);
      const store = await createPostgresStore({ db: pglite });
      await checkReadsUnderLock(store);
      await store.close();
    } finally {
      await pglite.close();
    }
  }, 60_000);

  it.skipIf(!serverUrl)(
    onServer('given a pg.Pool'),
    async () => {
      const target = await createTestSchema(serverUrl!);
      try {
        await migrate(target.pool);
        const store = await createPostgresStore({ db: target.pool });
        await checkReadsUnderLock(store);
        await store.close();
      } finally {
        await target.drop();
      }
    },
    60_000,
  );
});
