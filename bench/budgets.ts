/*
 * Budget progress on the memory store, on PGlite and (with --database-url) on a PostgreSQL server:
 * 50 budgets of one user with 100,000 transactions.
 *   npx tsx --conditions=source bench/budgets.ts [transactions] [budgets]
 *     [--database-url postgres://postgres@127.0.0.1:5432] [--database-name finkit_budgets_bench]
 *     [--stores memory,pglite,postgres]
 * The named database is dropped and created afresh. Prints a table per store; `runBudgetsBench`
 * returns the rows for `pnpm bench`.
 */
import { performance } from 'node:perf_hooks';
import { createEmbeddedStore, createPostgresStore } from '@finkit/adapter-postgres';
import {
  type BudgetPeriod,
  createBudgetEngine,
  createMemoryEventBus,
  createMemoryStore,
  newBudgetSchema,
  type Store,
  type SyncTransactionInput,
} from '@finkit/core';
import pg from 'pg';

export interface BenchRow {
  case: string;
  runs: number;
  medianMs: number;
  minMs: number;
  aggregateQueries: number;
}

const userId = 'bench-user';
const expense = [
  'food_and_dining',
  'shopping',
  'transportation',
  'bills_and_utilities',
  'entertainment',
  'healthcare',
  'travel',
  'personal_care',
  'education',
] as const;

/** Deterministic, so runs compare. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function isoDay(base: number, offset: number): string {
  return new Date(base - offset * 86_400_000).toISOString().slice(0, 10);
}

async function seed(store: Store, now: Date, transactions: number, budgets: number): Promise<void> {
  const random = prng(42);
  const connection = await store.connections.create({
    userId,
    provider: 'bench',
    providerItemId: 'item',
    institutionId: null,
    institutionName: null,
    encryptedAccessToken: 'sealed',
  });
  const account = {
    providerAccountId: 'checking',
    name: 'Checking',
    officialName: null,
    type: 'depository' as const,
    subtype: null,
    mask: null,
    currency: 'USD',
    balances: { current: 0, available: null, limit: null, currency: 'USD', asOf: now },
  };
  const batchSize = 10_000;
  for (let offset = 0; offset < transactions; offset += batchSize) {
    const upserts: SyncTransactionInput[] = [];
    for (let i = offset; i < Math.min(transactions, offset + batchSize); i += 1) {
      const r = random();
      const categoryId = r < 0.05 ? 'income' : r < 0.1 ? 'transfer' : expense[i % expense.length]!;
      upserts.push({
        providerTransactionId: `t${i}`,
        providerAccountId: 'checking',
        pendingTransactionId: null,
        // About two years of history, ~137 a day.
        date: isoDay(now.getTime(), Math.floor(random() * 730)),
        authorizedDate: null,
        amount:
          categoryId === 'income' ? 250_000 : random() < 0.03 ? 1_500 : -Math.floor(500 + random() * 20_000),
        currency: random() < 0.02 ? 'EUR' : 'USD',
        description: `T${i}`,
        merchantName: null,
        pending: random() < 0.02,
        providerCategory: null,
        categoryId,
        categoryConfidence: 1,
        categoryExplanation: 'bench',
        tags: [],
        hidden: false,
        sources: {},
      });
    }
    await store.applySyncBatch({
      userId,
      connectionId: connection.id,
      nextCursor: `c${offset}`,
      accounts: [account],
      upserts,
      removed: [],
      syncedAt: now,
    });
  }
  const periods: BudgetPeriod[] = ['monthly', 'monthly', 'monthly', 'weekly', 'quarterly'];
  const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Pacific/Auckland'];
  for (let i = 0; i < budgets; i += 1) {
    await store.budgets.create(
      userId,
      newBudgetSchema.parse({
        name: `Budget ${i}`,
        amount: 50_000 + i * 10_000,
        currency: 'USD',
        categoryIds: i % 5 === 0 ? [] : [expense[i % expense.length]!, expense[(i + 3) % expense.length]!],
        period: periods[i % periods.length],
        periodStartDay: i % 3 === 0 ? 15 : 1,
        timezone: zones[i % zones.length],
        // Rollover budgets chain every period from a year back.
        startDate: isoDay(now.getTime(), i % 2 === 0 ? 365 : 30),
        rollover: i % 2 === 0,
        includePending: i % 4 !== 0,
      }),
    );
  }
}

function counting(store: Store): { store: Store; count: () => number } {
  let calls = 0;
  const transactions = {
    ...store.transactions,
    aggregate: (...args: Parameters<Store['transactions']['aggregate']>) => {
      calls += 1;
      return store.transactions.aggregate(...args);
    },
  };
  // A snapshot that carries an aggregate is a spending read too (in the same statement).
  const budgets = {
    ...store.budgets,
    snapshot: (...args: Parameters<Store['budgets']['snapshot']>) => {
      if (args[2] !== undefined) calls += 1;
      return store.budgets.snapshot(...args);
    },
  };
  return {
    store: { ...store, transactions, budgets, close: () => store.close() },
    count: () => calls,
  };
}

async function measure(
  name: string,
  runs: number,
  count: () => number,
  fn: () => Promise<unknown>,
): Promise<BenchRow> {
  const times: number[] = [];
  let queries = 0;
  for (let run = 0; run < runs; run += 1) {
    const before = count();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
    queries = count() - before;
  }
  times.sort((a, b) => a - b);
  return {
    case: name,
    runs,
    medianMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
    minMs: Math.round(times[0]! * 10) / 10,
    aggregateQueries: queries,
  };
}

export interface BudgetsBenchOptions {
  transactions?: number;
  budgets?: number;
  /** The store under test, empty; the memory store by default (pass a Postgres one to compare). */
  createStore?: (clock: { now(): Date }) => Store | Promise<Store>;
}

export async function runBudgetsBench(options: BudgetsBenchOptions = {}): Promise<BenchRow[]> {
  const { transactions = 100_000, budgets = 50 } = options;
  const now = new Date('2025-06-18T15:00:00Z');
  const clock = { now: () => now };
  const base = await (options.createStore ?? ((c) => createMemoryStore({ clock: c })))(clock);
  await seed(base, now, transactions, budgets);
  const { store, count } = counting(base);
  const engine = createBudgetEngine({ store, events: createMemoryEventBus(), clock });
  const [first] = await store.budgets.list(userId);
  const [rollover] = (await store.budgets.list(userId)).filter((b) => b.rollover && b.period === 'monthly');
  const rows: BenchRow[] = [];
  rows.push(
    await measure(`progressAll: ${budgets} budgets (rollover chains included)`, 3, count, () =>
      engine.progressAll(userId),
    ),
  );
  rows.push(
    await measure('evaluateBudgets, first run (records crossings)', 1, count, () =>
      engine.evaluateBudgets(userId),
    ),
  );
  rows.push(
    await measure('evaluateBudgets, steady state (nothing new to record)', 3, count, () =>
      engine.evaluateBudgets(userId),
    ),
  );
  rows.push(
    await measure('progress: one all-spending monthly rollover budget', 3, count, () =>
      engine.progress(userId, first!.id),
    ),
  );
  rows.push(
    await measure('progress: one two-category monthly rollover budget', 3, count, () =>
      engine.progress(userId, rollover!.id),
    ),
  );
  rows.push(
    await measure('history: 6 periods of that budget', 3, count, () => engine.history(userId, rollover!.id)),
  );
  rows.push(await measure('suggestions: 6 months', 3, count, () => engine.suggestions(userId)));
  await store.close();
  return rows;
}

function printTable(rows: BenchRow[], transactions: number, storeName: string): void {
  console.log(
    `\nbudgets on ${storeName}, ${transactions.toLocaleString('en-US')} transactions (node ${process.version})\n`,
  );
  console.log('| case | runs | median ms | min ms | spending reads |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.case} | ${row.runs} | ${row.medianMs} | ${row.minMs} | ${row.aggregateQueries} |`);
  }
}

/** A fresh database on the server at `serverUrl`, and a pool on it that closing the store ends. */
async function freshServerStore(serverUrl: string, name: string, clock: { now(): Date }): Promise<Store> {
  const admin = new pg.Pool({ connectionString: `${serverUrl}/postgres`, max: 1 });
  try {
    await admin.query(`drop database if exists "${name}"`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: `${serverUrl}/${name}`, max: 4 });
  const store = await createPostgresStore({ db: pool, clock, migrate: true });
  return {
    ...store,
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const positional = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const transactions = Number(positional[0] ?? 100_000);
  const budgets = Number(positional[1] ?? 50);
  const stores = (option('stores') ?? 'memory,pglite,postgres').split(',');
  if (stores.includes('memory')) {
    printTable(await runBudgetsBench({ transactions, budgets }), transactions, 'the memory store');
  }
  if (stores.includes('pglite')) {
    printTable(
      await runBudgetsBench({
        transactions,
        budgets,
        createStore: (clock) => createEmbeddedStore({ clock }),
      }),
      transactions,
      'PGlite',
    );
  }
  const serverUrl = option('database-url');
  if (serverUrl !== undefined && stores.includes('postgres')) {
    const name = option('database-name') ?? 'finkit_budgets_bench';
    printTable(
      await runBudgetsBench({
        transactions,
        budgets,
        createStore: (clock) => freshServerStore(serverUrl, name, clock),
      }),
      transactions,
      `PostgreSQL (${name})`,
    );
  }
}
