/*
 * The REST API under load: finkit's routes (createFinkitApp, bearer JWT, the Postgres store)
 * next to bare Hono routes that answer the same question with one hand-written SQL query on
 * the same database handle, in the same server process and the same run. One table per database.
 *   cd bench && npx tsx --conditions=source http.ts [--rows 100000] [--seconds 5] [--connections 10]
 *     [--database-url postgres://postgres@127.0.0.1:5432] [--database-name fk_http_bench]
 *     [--rounds 1] [--only pglite|postgres] [--keep]
 *
 * With --rounds N each case alternates finkit and baseline N times; averages and the median
 * round's ratio are printed. Three processes: this one loads the data, then starts the server
 * (this file with `--serve`) and drives autocannon (its own process) at 127.0.0.1 only. The server's RSS is read from
 * /proc while it idles and while it is loaded; "start to first answer" is from spawning the
 * server process (tsx compiling finkit's sources included, as `pnpm start` does) to its first
 * 200 on `GET /transactions?limit=1`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { bearerJwtAuthenticate, createFinkitApp } from '@finkit/adapter-hono';
import { createPostgresStore, createVectorIndex, migrate } from '@finkit/adapter-postgres';
import {
  createFinkit,
  createTokenCipher,
  type Embedder,
  generateTokenKey,
  type ProviderAccount,
  type Store,
  type SyncTransactionInput,
} from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sign } from 'hono/jwt';
import pg from 'pg';
import { printTable } from './print-table.js';

const self = fileURLToPath(import.meta.url);
const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
};

// ---------------------------------------------------------------------------------------------
// A cheap deterministic embedder: hashed character trigrams into 64 dimensions, L2-normalised.

const dimensions = 64;

function embedText(text: string): Float32Array {
  const out = new Float32Array(dimensions);
  const padded = ` ${text.toLowerCase()} `;
  for (let i = 0; i + 3 <= padded.length; i += 1) {
    let hash = 2166136261;
    for (let j = i; j < i + 3; j += 1) hash = Math.imul(hash ^ padded.charCodeAt(j), 16777619);
    hash >>>= 0;
    out[hash % dimensions] = (out[hash % dimensions] ?? 0) + (hash & 0x100 ? 1 : -1);
  }
  let norm = 0;
  for (const value of out) norm += value * value;
  if (norm === 0) out[0] = 1;
  else for (let i = 0; i < dimensions; i += 1) out[i] = (out[i] ?? 0) / Math.sqrt(norm);
  return out;
}

const trigramEmbedder: Embedder = {
  id: 'bench-trigram-64',
  dimensions,
  embed: async (texts) => texts.map(embedText),
};

const vectorLiteral = (v: Float32Array) => `[${Array.from(v).join(',')}]`;

// ---------------------------------------------------------------------------------------------
// The server (`--serve`): finkit's app and the baseline routes on one port.

interface ServeConfig {
  kind: 'pglite' | 'postgres';
  /** PGlite data dir or PostgreSQL URL. */
  location: string;
  port: number;
  jwtSecret: string;
}

type Query = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

async function runServer(config: ServeConfig): Promise<void> {
  let query: Query;
  let store: Store;
  let closeDb: () => Promise<void>;
  if (config.kind === 'pglite') {
    const pglite = new PGlite(config.location, { extensions: { vector } });
    store = await createPostgresStore({ db: pglite });
    // The baseline's search gets the HNSW settings finkit's uses (ef_search 200, iterative scan),
    // set once for the session, so both sides return the same neighbours: at pgvector's default
    // of 40 it would answer a cheaper, less exact question (recall@10 0.81 against 0.99).
    await pglite.exec(`set hnsw.ef_search = 200; set hnsw.iterative_scan = strict_order`);
    query = async (text, params) => (await pglite.query<Record<string, unknown>>(text, params)).rows;
    closeDb = () => pglite.close();
  } else {
    const pool = new pg.Pool({ connectionString: config.location });
    store = await createPostgresStore({ db: pool });
    query = async (text, params) => (await pool.query<Record<string, unknown>>(text, params)).rows;
    closeDb = () => pool.end();
  }
  const finkit = createFinkit({
    store,
    // Never called by these routes; present because a finkit app has one.
    provider: createPlaidProvider({ clientId: 'bench', secret: 'bench', basePath: 'http://127.0.0.1:9' }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
    embedder: trigramEmbedder,
  });
  const api = createFinkitApp(finkit, { authenticate: bearerJwtAuthenticate({ secret: config.jwtSecret }) });
  const app = new Hono();
  app.route('/', api);

  // The baseline: no auth, no validation, no mapping; one SQL query each, rows as they come.
  // The user id and budget id come in the query string, where finkit takes them from the token.
  const baseline = new Hono().basePath('/baseline');
  baseline.get('/transactions', async (c) => {
    const rows = await query(
      `select * from transactions where user_id = $1 and removed_at is null and hidden = false
       order by date desc, id desc limit $2`,
      [c.req.query('user'), Number(c.req.query('limit') ?? 50) + 1],
    );
    return c.json({ items: rows.slice(0, -1) });
  });
  baseline.get('/transactions/stats', async (c) => {
    const rows = await query(
      `select category_id as key, currency,
         coalesce(sum(amount) filter (where amount > 0), 0)::bigint::text as inflow,
         coalesce(sum(amount) filter (where amount < 0), 0)::bigint::text as outflow,
         count(*)::int as count
       from transactions where user_id = $1 and removed_at is null and hidden = false
       group by 1, 2 order by category_id collate "C", currency collate "C"`,
      [c.req.query('user')],
    );
    return c.json({ rows });
  });
  baseline.post('/transactions/search', async (c) => {
    const body = await c.req.json<{ query: string; k?: number }>();
    const [queryVector] = await trigramEmbedder.embed([body.query]);
    const rows = await query(
      `select t.*, 1 - (e.embedding <=> $3::vector) as score
       from transaction_embeddings e join transactions t on t.id = e.transaction_id
       where e.user_id = $1 and e.model = $2 and t.removed_at is null and t.hidden = false
       order by e.embedding <=> $3::vector limit $4`,
      [
        c.req.query('user'),
        trigramEmbedder.id,
        vectorLiteral(queryVector ?? new Float32Array()),
        body.k ?? 20,
      ],
    );
    return c.json({ items: rows });
  });
  baseline.get('/budgets/:id/progress', async (c) => {
    // This month (UTC) of a monthly budget over its categories, in its currency.
    const [row] = await query(
      `select b.id, b.amount::text as amount, coalesce(-sum(t.amount), 0)::bigint::text as spent
       from budgets b left join transactions t
         on t.user_id = b.user_id and t.category_id = any(b.category_ids) and t.currency = b.currency
         and t.removed_at is null and t.hidden = false
         and t.date >= date_trunc('month', now() at time zone 'UTC')::date
         and t.date < (date_trunc('month', now() at time zone 'UTC') + interval '1 month')::date
       where b.id = $1 and b.user_id = $2 group by b.id`,
      [c.req.param('id'), c.req.query('user')],
    );
    if (!row) return c.json({ error: 'not found' }, 404);
    const amount = Number(row.amount);
    const spent = Number(row.spent);
    return c.json({ budgetId: row.id, amount, spent, remaining: amount - spent });
  });

  const server = serve({
    fetch: (request) => (request.url.includes('/baseline/') ? baseline.fetch(request) : app.fetch(request)),
    port: config.port,
    hostname: '127.0.0.1',
  });
  const stop = async () => {
    server.close();
    await finkit.close();
    await store.close();
    await closeDb();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

// ---------------------------------------------------------------------------------------------
// Loading: one user, one connection, `rows` transactions over two years, 2,000 per sync batch.

const merchants: [string, string][] = [
  ['Blue Bottle Coffee', 'food_and_dining'],
  ['Starbucks', 'food_and_dining'],
  ['Whole Foods Market', 'food_and_dining'],
  ['Trader Joes', 'food_and_dining'],
  ['Chipotle Mexican Grill', 'food_and_dining'],
  ['Sweetgreen', 'food_and_dining'],
  ['Amazon Marketplace', 'shopping'],
  ['Target', 'shopping'],
  ['Best Buy', 'shopping'],
  ['IKEA', 'shopping'],
  ['Uber Trip', 'transportation'],
  ['Lyft Ride', 'transportation'],
  ['Shell Gas Station', 'transportation'],
  ['BART Clipper', 'transportation'],
  ['PG&E Electric', 'bills_and_utilities'],
  ['Comcast Internet', 'bills_and_utilities'],
  ['Verizon Wireless', 'bills_and_utilities'],
  ['Netflix', 'entertainment'],
  ['Spotify', 'entertainment'],
  ['AMC Theatres', 'entertainment'],
  ['CVS Pharmacy', 'healthcare'],
  ['Kaiser Permanente', 'healthcare'],
  ['United Airlines', 'travel'],
  ['Marriott Hotel', 'travel'],
  ['Great Clips', 'personal_care'],
  ['Coursera', 'education'],
];
const cities = ['San Francisco CA', 'Oakland CA', 'Seattle WA', 'New York NY', 'Austin TX', 'Chicago IL'];

function generate(count: number, withEmbeddings: boolean, today: string): SyncTransactionInput[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const payroll = i % 40 === 0;
    const [merchant, categoryId] = payroll
      ? ['ACME CORP PAYROLL', 'income']
      : (merchants[(i * 7) % merchants.length] ?? ['Misc', 'uncategorized']);
    const description = payroll ? merchant : `${merchant} #${(i * 31) % 500} ${cities[i % cities.length]}`;
    const date = new Date(end - Math.floor((i / count) * 730) * 86_400_000).toISOString().slice(0, 10);
    return {
      providerTransactionId: `tx-${i}`,
      providerAccountId: 'acc-1',
      pendingTransactionId: null,
      date,
      authorizedDate: null,
      amount: payroll ? 420_000 : -(((i * 7919) % 20_000) + 100),
      currency: 'USD',
      description,
      merchantName: payroll ? null : merchant,
      pending: false,
      providerCategory: null,
      categoryId,
      categoryConfidence: 0.9,
      categoryExplanation: 'bench',
      tags: [],
      hidden: false,
      sources: {},
      ...(withEmbeddings && { embedding: { model: trigramEmbedder.id, vector: embedText(description) } }),
    };
  });
}

const account: ProviderAccount = {
  providerAccountId: 'acc-1',
  name: 'Checking',
  officialName: null,
  type: 'depository',
  subtype: 'checking',
  mask: '0000',
  currency: 'USD',
  balances: { current: 100_000, available: 100_000, limit: null, currency: 'USD', asOf: new Date() },
};

async function load(
  store: Store,
  rows: number,
): Promise<{ userId: string; budgetId: string; seconds: number }> {
  const started = performance.now();
  const userId = 'bench-user';
  const connection = await store.connections.create({
    userId,
    provider: 'plaid',
    providerItemId: 'item-bench',
    institutionId: null,
    institutionName: null,
    encryptedAccessToken: 'sealed',
  });
  const today = new Date().toISOString().slice(0, 10);
  const all = generate(rows, store.capabilities.vectorSearch, today);
  for (let i = 0; i < all.length; i += 2_000) {
    await store.applySyncBatch({
      userId,
      connectionId: connection.id,
      nextCursor: `cursor-${i}`,
      accounts: [account],
      upserts: all.slice(i, i + 2_000),
      removed: [],
      syncedAt: new Date(),
    });
  }
  const budget = await store.budgets.create(userId, {
    name: 'Food',
    categoryIds: ['food_and_dining'],
    amount: 150_000,
    currency: 'USD',
    period: 'monthly',
    periodStartDay: 1,
    weekStartsOn: 1,
    timezone: 'UTC',
    startDate: '2024-01-01',
    endDate: null,
    rollover: false,
    thresholds: [50, 80, 100],
    includePending: true,
  });
  return { userId, budgetId: budget.id, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Driving the server.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function rssMiB(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/** Samples the server's RSS every 100 ms until stopped; resolves the peak in MiB. */
function sampleRss(pid: number): () => Promise<number> {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, (await rssMiB(pid)).rss);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peak;
  };
}

interface Server {
  child: ChildProcess;
  base: string;
  startToFirstAnswerMs: number;
}

async function startServer(kind: ServeConfig['kind'], location: string, jwtSecret: string, token: string) {
  const port = await freePort();
  const config: ServeConfig = { kind, location, port, jwtSecret };
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', self, '--serve'], {
    env: { ...process.env, FK_HTTP_BENCH: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/transactions?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const server: Server = { child, base, startToFirstAnswerMs: performance.now() - started };
  return server;
}

interface Case {
  name: string;
  method: 'GET' | 'POST';
  finkitPath: string;
  baselinePath: string;
  body?: string;
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const autocannonBin = fileURLToPath(import.meta.resolve('autocannon/autocannon.js'));

function autocannon(url: string, kase: Case, token: string, seconds: number, connections: number) {
  const args = [autocannonBin, '-j', '-c', String(connections), '-d', String(seconds), '-m', kase.method];
  args.push('-H', `authorization=Bearer ${token}`);
  if (kase.body) args.push('-H', 'content-type=application/json', '-b', kase.body);
  args.push(url);
  return new Promise<LoadResult>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      });
    });
  });
}

async function checkAnswers(base: string, kase: Case, token: string): Promise<void> {
  for (const path of [kase.finkitPath, kase.baselinePath]) {
    const response = await fetch(`${base}${path}`, {
      method: kase.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(kase.body ? { body: kase.body } : {}),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${kase.method} ${path}: ${response.status} ${text}`);
    const json = JSON.parse(text) as { items?: unknown[]; rows?: unknown[]; spent?: number };
    const size = json.items?.length ?? json.rows?.length ?? json.spent;
    if (!size) throw new Error(`${kase.method} ${path} answered nothing: ${text.slice(0, 200)}`);
  }
}

async function bench(
  label: string,
  kind: ServeConfig['kind'],
  location: string,
  ids: { userId: string; budgetId: string },
  withSearch: boolean,
  loadSeconds: number,
  rows: number,
): Promise<void> {
  const seconds = Number(option('seconds', '5'));
  const connections = Number(option('connections', '10'));
  const rounds = Number(option('rounds', '1'));
  const jwtSecret = generateTokenKey();
  const token = await sign({ sub: ids.userId }, jwtSecret, 'HS256');
  const server = await startServer(kind, location, jwtSecret, token);
  const pid = server.child.pid ?? 0;
  try {
    const user = `user=${encodeURIComponent(ids.userId)}`;
    const searchBody = JSON.stringify({ query: 'coffee in oakland', k: 20 });
    const cases: Case[] = [
      {
        name: 'GET /transactions?limit=50',
        method: 'GET',
        finkitPath: '/transactions?limit=50',
        baselinePath: `/baseline/transactions?limit=50&${user}`,
      },
      {
        name: 'GET /transactions/stats?groupBy=category',
        method: 'GET',
        finkitPath: '/transactions/stats?groupBy=category',
        baselinePath: `/baseline/transactions/stats?${user}`,
      },
      ...(withSearch
        ? [
            {
              name: 'POST /transactions/search (k 20)',
              method: 'POST' as const,
              finkitPath: '/transactions/search',
              baselinePath: `/baseline/transactions/search?${user}`,
              body: searchBody,
            },
          ]
        : []),
      {
        name: 'GET /budgets/{id}/progress',
        method: 'GET',
        finkitPath: `/budgets/${ids.budgetId}/progress`,
        baselinePath: `/baseline/budgets/${ids.budgetId}/progress?${user}`,
      },
    ];
    for (const kase of cases) await checkAnswers(server.base, kase, token);
    // Idle: after the first answers, before any load.
    const stopIdle = sampleRss(pid);
    await new Promise((r) => setTimeout(r, 2_000));
    const idlePeak = await stopIdle();

    const table: Record<string, string | number>[] = [];
    const stopLoaded = sampleRss(pid);
    for (const kase of cases) {
      // finkit and the baseline alternate, `rounds` times each: on a loaded machine the load
      // drifts, and back-to-back pairs see the same drift. The ratio is the median round's.
      const runs: { finkit: LoadResult; baseline: LoadResult }[] = [];
      for (const path of [kase.finkitPath, kase.baselinePath]) {
        await autocannon(`${server.base}${path}`, kase, token, 1, connections); // warm-up, not counted
      }
      for (let round = 0; round < rounds; round += 1) {
        const finkit = await autocannon(
          `${server.base}${kase.finkitPath}`,
          kase,
          token,
          seconds,
          connections,
        );
        const baseline = await autocannon(
          `${server.base}${kase.baselinePath}`,
          kase,
          token,
          seconds,
          connections,
        );
        runs.push({ finkit, baseline });
      }
      const ratios = runs.map((run) => run.finkit.rps / run.baseline.rps).sort((a, b) => a - b);
      const mean = (pick: (run: (typeof runs)[number]) => number) =>
        runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
      const failures = runs.reduce(
        (sum, { finkit, baseline }) =>
          sum + finkit.non2xx + finkit.errors + baseline.non2xx + baseline.errors,
        0,
      );
      const last = runs.at(-1)!;
      table.push({
        route: kase.name,
        'finkit req/s': mean((run) => run.finkit.rps).toFixed(0),
        'finkit p50/p99 ms': `${last.finkit.p50} / ${last.finkit.p99}`,
        'baseline req/s': mean((run) => run.baseline.rps).toFixed(0),
        'baseline p50/p99 ms': `${last.baseline.p50} / ${last.baseline.p99}`,
        'finkit/baseline': ratios[Math.floor(ratios.length / 2)]!.toFixed(2),
        ...(rounds > 1 ? { 'ratio per round': ratios.map((r) => r.toFixed(2)).join(' ') } : {}),
        ...(failures > 0 ? { 'non-2xx/errors': failures } : {}),
      });
    }
    const loadedPeak = await stopLoaded();
    const { hwm } = await rssMiB(pid);
    printTable(
      `${label}: ${rows.toLocaleString('en-US')} transactions, ${connections} connections, ${rounds} × ${seconds} s per case and side`,
      table,
    );
    printTable(`${label}: the server process`, [
      {
        'data load s (sync batches + HNSW)': loadSeconds.toFixed(1),
        'start → first answer ms': server.startToFirstAnswerMs.toFixed(0),
        'RSS idle MiB': idlePeak.toFixed(0),
        'RSS peak under load MiB': loadedPeak.toFixed(0),
        'VmHWM MiB': hwm.toFixed(0),
      },
    ]);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const rows = Number(option('rows', '100000'));

  const only = option('only', 'both');
  if (only !== 'postgres') await benchPGlite(rows);
  if (only !== 'pglite' && !argv.includes('--no-postgres')) await benchPostgres(rows);
}

async function benchPGlite(rows: number): Promise<void> {
  // PGlite: load into a data dir, close it, then the server opens it.
  const dataDir = await mkdtemp(join(tmpdir(), 'fk-http-bench-'));
  try {
    const pglite = new PGlite(dataDir, { extensions: { vector } });
    await migrate(pglite, { embeddingDimensions: dimensions, vectorIndex: false });
    const store = await createPostgresStore({ db: pglite });
    const loaded = await load(store, rows);
    console.error(`PGlite: ${rows} rows loaded in ${loaded.seconds.toFixed(1)} s; building HNSW`);
    const indexStarted = performance.now();
    await createVectorIndex(pglite);
    const loadSeconds = loaded.seconds + (performance.now() - indexStarted) / 1000;
    await store.close();
    await pglite.close();
    await bench('PGlite', 'pglite', dataDir, loaded, true, loadSeconds, rows);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function benchPostgres(rows: number): Promise<void> {
  const serverUrl = option('database-url', 'postgres://postgres@127.0.0.1:5432');
  const admin = new pg.Pool({ connectionString: `${serverUrl}/postgres`, max: 1 });
  // Its own name lets two runs on one server (two people benchmarking) stay apart.
  const name = option('database-name', 'fk_http_bench');
  const url = `${serverUrl}/${name}`;
  try {
    await admin.query(`drop database if exists "${name}"`);
    await admin.query(`create database "${name}"`);
  } catch (error) {
    console.error(`\nPostgreSQL at ${serverUrl} unavailable, skipped:`, (error as Error).message);
    await admin.end();
    return;
  }
  try {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    await migrate(pool);
    const store = await createPostgresStore({ db: pool });
    const loaded = await load(store, rows);
    await pool.query('analyze');
    console.error(`PostgreSQL: ${rows} rows loaded in ${loaded.seconds.toFixed(1)} s`);
    await store.close();
    await pool.end();
    await bench('PostgreSQL 15 (no pgvector)', 'postgres', url, loaded, false, loaded.seconds, rows);
  } finally {
    // --keep leaves the database for EXPLAIN; the next run drops and recreates it anyway.
    if (!argv.includes('--keep')) await admin.query(`drop database if exists "${name}"`);
    await admin.end();
  }
}

if (argv.includes('--serve')) {
  await runServer(JSON.parse(process.env.FK_HTTP_BENCH ?? '{}') as ServeConfig);
} else {
  await main();
}
