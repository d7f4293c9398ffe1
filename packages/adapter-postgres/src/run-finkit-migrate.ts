import { parseArgs } from 'node:util';
import { migrate } from './migrate.js';

const usage = `Usage: finkit-migrate (--url <postgres url> | --data-dir <PGlite directory>) [--embedding-dimensions <n>]

Applies finkit's pending migrations. Safe to run from several processes at once.
--url defaults to $DATABASE_URL. The schema is the first on the connection's search_path
(set it with ?options=-c%20search_path%3Dmy_schema).`;

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The `finkit-migrate` command; resolves with the process exit code. */
export async function runFinkitMigrate(
  argv: readonly string[],
  output: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) },
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let values: { url?: string; 'data-dir'?: string; 'embedding-dimensions'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        'data-dir': { type: 'string' },
        'embedding-dimensions': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    output.out(usage);
    return 0;
  }
  const dimensions = values['embedding-dimensions'];
  const embeddingDimensions = dimensions === undefined ? undefined : Number(dimensions);
  if (embeddingDimensions !== undefined && !Number.isInteger(embeddingDimensions)) {
    output.err(`--embedding-dimensions must be an integer, got ${dimensions}`);
    return 2;
  }
  const url = values.url ?? (values['data-dir'] === undefined ? env.DATABASE_URL : undefined);
  if ((url === undefined) === (values['data-dir'] === undefined)) {
    output.err(`Give exactly one of --url (or $DATABASE_URL) and --data-dir.\n\n${usage}`);
    return 2;
  }
  const options = embeddingDimensions === undefined ? {} : { embeddingDimensions };
  try {
    const result =
      url !== undefined
        ? await migrateServer(url, options)
        : await migrateEmbedded(values['data-dir']!, options);
    output.out(
      result.applied.length === 0
        ? `finkit schema is current (version ${result.version})`
        : `applied migrations ${result.applied.join(', ')}; finkit schema is at version ${result.version}`,
    );
    return 0;
  } catch (error) {
    output.err(`finkit-migrate failed: ${(error as Error).message}`);
    return 1;
  }
}

async function migrateServer(url: string, options: { embeddingDimensions?: number }) {
  const pg = await import('pg');
  const pool = new pg.default.Pool({ connectionString: url, max: 1 });
  try {
    return await migrate(pool, options);
  } finally {
    await pool.end();
  }
}

async function migrateEmbedded(dataDir: string, options: { embeddingDimensions?: number }) {
  const [{ PGlite }, { vector }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
  ]);
  const pglite = new PGlite(dataDir, { extensions: { vector } });
  try {
    return await migrate(pglite, options);
  } finally {
    await pglite.close();
  }
}
