import type { Store, Transaction } from '@finkit/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConnection } from '../test/sync-fixtures.js';
import { createTestSchema, onServer, serverUrl, type TestSchema } from '../test/test-databases.js';
import { copyTransactionRows } from './copy-transaction-rows.js';
import { createPostgresStore } from './create-postgres-store.js';
import { migrate } from './migrate.js';
import { openDatabase } from './open-database.js';
import { transactionColumns, transactionRowsSql } from './transaction-rows.js';

// Text that COPY's text format would mangle unescaped (tab, newline, CR, backslash, `\N` and the
// old end-of-data line `\.`), next to what array and JSON literals would (quotes, commas, braces).
const awkward = [
  'tab\there',
  'two\nlines',
  'carriage\rreturn\r\n',
  'back\\slash\\',
  '\\N',
  '\\.',
  '\\\\N',
  '',
  'say "hi", {ok}',
  'NULL',
  "it's",
  'ünï 💸 \u2028',
];

function row(i: number, ids: { userId: string; connectionId: string; accountId: string }): Transaction {
  const text = (k: number) => awkward[(i + k) % awkward.length]!;
  return {
    id: `copy-${i}`,
    ...ids,
    providerTransactionId: `p-${text(0)}-${i}`,
    pendingTransactionId: i % 3 === 0 ? null : text(1),
    date: '2024-02-29',
    authorizedDate: i % 2 === 0 ? null : '1999-12-31',
    amount: i % 2 === 0 ? Number.MAX_SAFE_INTEGER - i : -Number.MAX_SAFE_INTEGER + i,
    currency: 'USD',
    description: text(0),
    merchantName: i % 4 === 0 ? null : text(2),
    pending: i % 2 === 1,
    categoryId: 'shopping',
    categoryConfidence: i === 0 ? 0 : 1 / (i + 2),
    categoryExplanation: text(3),
    providerCategory:
      i % 5 === 0 ? null : { primary: text(4), detailed: text(5), confidenceLevel: null, version: 'v2' },
    notes: i % 3 === 1 ? null : text(6),
    tags: i % 4 === 0 ? [] : [text(7), 'a,b', '{c}', '"d"', 'e\\f', 'NULL'],
    hidden: i % 2 === 0,
    sources: i % 2 === 0 ? {} : { notes: 'user', tags: 'rule' },
    removedAt: i % 3 === 0 ? null : new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    createdAt: new Date(Date.UTC(2024, 5, 1, 0, 0, 0, 1)),
    updatedAt: new Date(Date.UTC(2024, 5, 1, 12, 30, 0, 999)),
  };
}

describe.skipIf(!serverUrl)(onServer('copyTransactionRows'), () => {
  let target: TestSchema;
  beforeAll(async () => {
    target = await createTestSchema(serverUrl!);
    await migrate(target.pool);
  });
  afterAll(() => target?.drop());

  // Every column as PostgreSQL prints it, so a value the two paths store differently shows up.
  const readBack = async (connectionId: string) =>
    (
      await target.pool.query<Record<string, string | null>>(
        `select id, provider_transaction_id, pending_transaction_id, date::text, authorized_date::text,
           amount::text, description, merchant_name, pending::text, category_confidence::text,
           category_explanation, provider_category::text, notes, tags::text, hidden::text, sources::text,
           removed_at::text, created_at::text, updated_at::text, (merchant_name is null)::text as merchant_null
         from transactions where connection_id = $1 order by id`,
        [connectionId],
      )
    ).rows;

  /** A connection with its account stored (an empty batch creates it), and the ids rows need. */
  const seedIds = async (store: Store) => {
    const seeded = await seedConnection(store);
    await store.applySyncBatch(seeded.batch([]));
    const account = await target.pool.query('select id from accounts where connection_id = $1', [
      seeded.connection.id,
    ]);
    return {
      userId: seeded.userId,
      connectionId: seeded.connection.id,
      accountId: account.rows[0].id as string,
    };
  };

  it('stores every value exactly as the unnest insert does, awkward text included', async () => {
    const store = await createPostgresStore({ db: target.pool });
    const copyIds = await seedIds(store);
    const unnestIds = await seedIds(store);
    const count = 3 * awkward.length;
    const copied = Array.from({ length: count }, (_, i) => row(i, copyIds));
    const inserted = Array.from({ length: count }, (_, i) => ({ ...row(i, unnestIds), id: `unnest-${i}` }));

    const client = await target.pool.connect();
    try {
      await copyTransactionRows(client, copied);
    } finally {
      client.release();
    }
    const { db, release } = await openDatabase(target.pool);
    await sql`insert into transactions (${transactionColumns}) select * from ${transactionRowsSql(inserted)} as x`.execute(
      db,
    );
    await release();

    const fromCopy = await readBack(copyIds.connectionId);
    const fromUnnest = await readBack(unnestIds.connectionId);
    expect(fromCopy).toHaveLength(count);
    expect(fromCopy.map(({ id, ...rest }) => rest)).toEqual(fromUnnest.map(({ id, ...rest }) => rest));

    // And against the inputs themselves, so both paths being wrong alike would fail too.
    const byId = new Map(fromCopy.map((stored) => [stored.id, stored]));
    for (const input of copied) {
      const stored = byId.get(input.id)!;
      expect(stored.description).toBe(input.description);
      expect(stored.merchant_name).toBe(input.merchantName);
      expect(stored.notes).toBe(input.notes);
      expect(stored.pending_transaction_id).toBe(input.pendingTransactionId);
      expect(stored.amount).toBe(String(input.amount));
      expect(stored.authorized_date).toBe(input.authorizedDate);
      expect(Number(stored.category_confidence)).toBe(input.categoryConfidence);
      const providerCategory = stored.provider_category;
      expect(typeof providerCategory === 'string' ? JSON.parse(providerCategory) : providerCategory).toEqual(
        input.providerCategory,
      );
      expect(JSON.parse(stored.sources!)).toEqual(input.sources);
      expect(new Date(stored.removed_at ?? Number.NaN).getTime() || null).toBe(
        input.removedAt?.getTime() ?? null,
      );
    }
    const tags = await target.pool.query<{ id: string; tags: string[] }>(
      'select id, tags from transactions where connection_id = $1',
      [copyIds.connectionId],
    );
    for (const stored of tags.rows) expect(stored.tags).toEqual(copied.find((r) => r.id === stored.id)!.tags);
    // A text that reads `\N` is that text, and an empty string is not NULL.
    expect(fromCopy.filter((stored) => stored.description === '\\N')).toHaveLength(3);
    expect(fromCopy.filter((stored) => stored.merchant_name === '')).not.toHaveLength(0);
    expect(fromCopy.filter((stored) => stored.merchant_null === 'true')).toHaveLength(
      copied.filter((r) => r.merchantName === null).length,
    );
    await store.close();
  });

  it('fails as a whole on a value PostgreSQL rejects, leaving the transaction to roll back', async () => {
    const store = await createPostgresStore({ db: target.pool });
    const ids = await seedIds(store);
    const rows = [row(0, ids), { ...row(1, ids), description: 'nul \u0000 byte' }, row(2, ids)];
    const client = await target.pool.connect();
    try {
      await client.query('begin');
      await expect(copyTransactionRows(client, rows)).rejects.toThrow();
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect((await readBack(ids.connectionId)).length).toBe(0);
    await store.close();
  });
  // The data goes out before the server has answered the COPY statement: whatever way the COPY
  // ends, the client must stay in step with the server (a stray CopyData would break the next query).
  it('sends the data without waiting for the server: many chunks, a COPY that cannot start, one that fails midway', async () => {
    const store = await createPostgresStore({ db: target.pool });
    const ids = await seedIds(store);
    // Enough rows for several chunks and a socket that pushes back.
    const many = Array.from({ length: 9000 }, (_, i) => ({
      ...row(i, ids),
      id: `many-${i}`,
      providerTransactionId: `many-${i}`,
    }));
    const client = await target.pool.connect();
    try {
      await client.query('begin');
      await copyTransactionRows(client, many);
      const counted = await client.query(
        'select count(*)::int as n from transactions where connection_id = $1',
        [ids.connectionId],
      );
      expect(counted.rows).toEqual([{ n: 9000 }]);
      await client.query('rollback');

      // Cannot start: no such table on this search path. Its data is already on the wire.
      await client.query('set search_path = pg_catalog');
      await expect(copyTransactionRows(client, many.slice(0, 10))).rejects.toThrow(/transactions/);
      await client.query('reset search_path');
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);

      // Fails in the last chunk, while earlier ones may still be queued behind a full socket.
      await client.query('begin');
      const broken = [...many.slice(0, 8999), { ...many[8999]!, description: 'nul \u0000 byte' }];
      await expect(copyTransactionRows(client, broken)).rejects.toThrow();
      await client.query('rollback');
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      client.release();
    }
    expect((await readBack(ids.connectionId)).length).toBe(0);
    await store.close();
  }, 60_000);
});
