import { afterAll, describe, expect, it } from 'vitest';
import { createTestPGlite, createTestSchema, onServer, serverUrl } from '../test/test-databases.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/migrations.js';

// Every version, in order; a new migration changes this list and nothing else here.
const versions = migrations.map((m) => m.version);
const latest = versions.length;

describe('the migration list', () => {
  it('numbers migrations 1, 2, 3, … without gaps or repeats, with distinct names', () => {
    expect(versions).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
    expect(new Set(migrations.map((m) => m.name)).size).toBe(latest);
  });
});

describe('migrate on PGlite', () => {
  // One PGlite per file: starting one costs seconds.
  const pglite = createTestPGlite();
  afterAll(() => pglite.close());

  it('rolls everything back when a migration fails', async () => {
    await expect(migrate(pglite, { embeddingDimensions: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
    const tables = await pglite.query(
      `select 1 from information_schema.tables where table_name in ('transactions', 'finkit_migrations')`,
    );
    expect(tables.rows).toHaveLength(0);
  });

  it('creates every table with a vector column and records the versions', async () => {
    const first = await migrate(pglite, { embeddingDimensions: 3 });
    expect(first.applied).toEqual(versions);
    const again = await migrate(pglite, { embeddingDimensions: 3 });
    expect(again).toEqual({ applied: [], version: latest });
    const column = await pglite.query<{ udt_name: string }>(
      `select udt_name from information_schema.columns where table_name = 'transaction_embeddings' and column_name = 'embedding'`,
    );
    expect(column.rows[0]?.udt_name).toBe('vector');
    const hnsw = await pglite.query(
      `select 1 from pg_indexes where indexname = 'transaction_embeddings_hnsw_idx'`,
    );
    expect(hnsw.rows).toHaveLength(1);
  });
});

describe.skipIf(!serverUrl)(onServer('migrate'), () => {
  const schemas: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const schema of schemas) await schema.drop();
  });

  it('serializes two concurrent runs: each version is applied once', async () => {
    const target = await createTestSchema(serverUrl!);
    schemas.push(target);
    const results = await Promise.all([migrate(target.pool), migrate(target.pool)]);
    expect(results.map((r) => r.applied).sort()).toEqual([[], versions]);
    const rows = await target.pool.query('select version from finkit_migrations order by version');
    expect(rows.rows).toEqual(versions.map((version) => ({ version })));
  });

  it('falls back to real[] embeddings where pgvector is missing', async () => {
    const target = await createTestSchema(serverUrl!);
    schemas.push(target);
    await migrate(target.pool, { embeddingDimensions: 8 });
    const column = await target.pool.query(
      `select udt_name from information_schema.columns where table_schema = $1 and table_name = 'transaction_embeddings' and column_name = 'embedding'`,
      [target.schema],
    );
    const available = await target.pool.query(`select 1 from pg_available_extensions where name = 'vector'`);
    expect(column.rows[0]?.udt_name).toBe(available.rowCount ? 'vector' : '_float4');
  });
});
