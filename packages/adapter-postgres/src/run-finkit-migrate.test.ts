import { afterAll, describe, expect, it } from 'vitest';
import { createTestSchema, onServer, serverUrl, type TestSchema } from '../test/test-databases.js';
import { migrations } from './migrations/migrations.js';
import { runFinkitMigrate } from './run-finkit-migrate.js';

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, output: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
}

describe('finkit-migrate arguments', () => {
  it('refuses to guess the database and explains the usage', async () => {
    const { lines, output } = capture();
    expect(await runFinkitMigrate([], output, {})).toBe(2);
    expect(lines.err.join('\n')).toContain('Give exactly one of --url');
    expect(await runFinkitMigrate(['--url', 'postgres://x', '--data-dir', 'finkit-data'], output, {})).toBe(
      2,
    );
    expect(await runFinkitMigrate(['--nope'], output, {})).toBe(2);
    expect(
      await runFinkitMigrate(['--url', 'postgres://x', '--embedding-dimensions', 'abc'], output, {}),
    ).toBe(2);
  });
});

describe.skipIf(!serverUrl)(onServer('finkit-migrate'), () => {
  let target: TestSchema | undefined;
  afterAll(async () => {
    await target?.drop();
  });

  it('migrates the schema named in the url, then reports it current', async () => {
    target = await createTestSchema(serverUrl!);
    const url = new URL(serverUrl!);
    url.searchParams.set('options', `-c search_path=${target.schema}`);
    const { lines, output } = capture();
    expect(await runFinkitMigrate(['--url', url.toString()], output, {})).toBe(0);
    expect(await runFinkitMigrate([], output, { DATABASE_URL: url.toString() })).toBe(0);
    expect(lines.out).toEqual([
      `applied migrations ${migrations.map((m) => m.version).join(', ')}; finkit schema is at version ${migrations.length}`,
      `finkit schema is current (version ${migrations.length})`,
    ]);
    const tables = await target.pool.query(
      `select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'transactions'`,
      [target.schema],
    );
    expect(tables.rows[0].n).toBe(1);
  });
});
