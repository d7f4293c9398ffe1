/*
 * Sync throughput: transactions from the Plaid sandbox (over HTTP, through the real `plaid`
 * client) through the sync engine into a store, with the share of time in each stage.
 *   npx tsx --conditions=source bench/sync.ts [--transactions 50000]
 */
import { performance } from 'node:perf_hooks';
import {
  type BankProvider,
  type CategorizeMany,
  createCategorizer,
  createMemoryEventBus,
  createMemoryStore,
  createSyncCategorize,
  createSyncEngine,
  createTokenCipher,
  generateTokenKey,
  type Store,
} from '@finkit/core';
import { createPlaidProvider, mapPlaidTransaction } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';
import { printTable } from './print-table.js';

const target = Number(process.argv[process.argv.indexOf('--transactions') + 1]) || 50_000;

interface StoreFactory {
  name: string;
  open(): Promise<{ store: Store; close(): Promise<void> }>;
}

const stores: StoreFactory[] = [
  {
    name: 'memory',
    async open() {
      const store = createMemoryStore();
      return { store, close: () => store.close() };
    },
  },
];

try {
  const postgres = await import('@finkit/adapter-postgres');
  if ('createEmbeddedStore' in postgres) {
    stores.push({
      name: 'PGlite',
      async open() {
        const store = await postgres.createEmbeddedStore({});
        return { store, close: () => store.close() };
      },
    });
  }
} catch {
  // The Postgres adapter is optional for this benchmark.
}

function timed<A extends unknown[], R>(fn: (...args: A) => Promise<R>, total: { ms: number }) {
  return async (...args: A): Promise<R> => {
    const start = performance.now();
    try {
      return await fn(...args);
    } finally {
      total.ms += performance.now() - start;
    }
  };
}

async function runOnce(factory: StoreFactory) {
  // 730 days of history per item; link items until the target is reached.
  const sandbox = await startPlaidSandbox({ seed: 7, historyDays: 730 });
  const { store, close } = await factory.open();
  const plaid = createPlaidProvider({ clientId: 'bench', secret: 'bench', basePath: sandbox.url });
  const providerTime = { ms: 0 };
  const categorizeTime = { ms: 0 };
  const storeTime = { ms: 0 };
  const provider: BankProvider = { ...plaid, syncTransactions: timed(plaid.syncTransactions, providerTime) };
  // The categorizer createFinkit wires by default (rules, learning, Plaid, merchant table).
  const categorizeMany = timed(
    createSyncCategorize(createCategorizer({ store }), store),
    categorizeTime,
  ) as CategorizeMany;
  const instrumented: Store = Object.create(store, {
    applySyncBatch: { value: timed(store.applySyncBatch.bind(store), storeTime) },
  });
  const engine = createSyncEngine({
    store: instrumented,
    provider,
    cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
    events: createMemoryEventBus(),
    categorizeMany,
    options: { daysRequested: 730 },
  });

  // The sandbox generates an item's history when its public token is made: do that untimed.
  const tokens: string[] = [];
  let available = 0;
  while (available < target) {
    tokens.push(sandbox.createPublicToken('ins_109508', { daysRequested: 730 }));
    const item = sandbox.items().at(-1);
    available += item ? sandbox.truth(item.itemId).length : 0;
  }
  let synced = 0;
  const items = tokens.length;
  const wall = performance.now();
  for (const publicToken of tokens) {
    const { connection, initialSync } = await engine.link({ userId: 'bench-user', publicToken });
    const result = await (initialSync ?? engine.syncConnection('bench-user', connection.id));
    synced += result.added;
  }
  const totalMs = performance.now() - wall;

  // Mapping is inside the provider call; time it alone on the same wire-shaped data.
  const wire = sandbox.items().flatMap((item) => sandbox.truth(item.itemId));
  const mapStart = performance.now();
  for (const t of wire) mapPlaidTransaction(t);
  const mappingMs = ((performance.now() - mapStart) / wire.length) * synced;

  await close();
  await sandbox.close();
  const httpMs = providerTime.ms - mappingMs;
  const otherMs = totalMs - providerTime.ms - categorizeTime.ms - storeTime.ms;
  const share = (ms: number) => `${((ms / totalMs) * 100).toFixed(1)}%`;
  return {
    store: factory.name,
    items,
    transactions: synced,
    seconds: (totalMs / 1000).toFixed(2),
    'tx/s': Math.round(synced / (totalMs / 1000)),
    'HTTP (sandbox + client)': share(httpMs),
    mapping: share(mappingMs),
    categorization: share(categorizeTime.ms),
    'store write': share(storeTime.ms),
    'engine (reduce, events, rest)': share(otherMs),
  };
}

const rows = [];
for (const factory of stores) rows.push(await runOnce(factory));
printTable(`Sync of ${target.toLocaleString('en-US')}+ transactions from the Plaid sandbox`, rows);
