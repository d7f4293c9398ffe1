import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMemoryEventBus,
  createMemoryStore,
  createSyncEngine,
  createTokenCipher,
  type FinkitEvent,
  generateTokenKey,
  type Store,
  type SyncEngine,
} from '@finkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlaidProvider } from '../src/index.js';
import { type PlaidSandbox, startPlaidSandbox } from '../src/sandbox/index.js';

/* The sync engine with the real plaid client against the sandbox, scenario by scenario. */

const userId = 'user-1';

interface Harness {
  sandbox: PlaidSandbox;
  store: Store;
  engine: SyncEngine;
  published: FinkitEvent[];
  connectionId: string;
  itemId: string;
  /** Settles once every sync a webhook started has finished. */
  webhooksSettled(): Promise<void>;
}

let receiver: Server;
let harness: Harness | undefined;

async function stored(store: Store) {
  const page = await store.transactions.list(userId, { includeHidden: true }, { limit: 1000 });
  return page.items.map((t) => [t.providerTransactionId, t.amount, t.date, t.pending]).sort();
}

function truth(sandbox: PlaidSandbox, itemId: string) {
  // Plaid's amounts are positive for money out; these USD amounts have at most two decimals.
  return sandbox
    .truth(itemId)
    .map((t) => [t.transaction_id, -Math.round(t.amount * 100), t.date, t.pending])
    .sort();
}

async function start(pageSize = 3): Promise<Harness> {
  const pending = new Set<Promise<void>>();
  let engine: SyncEngine | undefined;
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        headers[name] = Array.isArray(value) ? value[0] : value;
      }
      void engine
        ?.handleWebhook(Buffer.concat(chunks).toString('utf8'), headers)
        .then((outcome) => {
          if (outcome.action === 'sync') {
            pending.add(outcome.done);
            void outcome.done.then(() => pending.delete(outcome.done));
          }
          response.writeHead(200).end();
        })
        .catch(() => response.writeHead(400).end());
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  const sandbox = await startPlaidSandbox({ port: 0, seed: 7, historyDays: 30, webhookUrl });
  const store = createMemoryStore();
  const events = createMemoryEventBus();
  const published: FinkitEvent[] = [];
  events.subscribe('*', (event) => published.push(event));
  engine = createSyncEngine({
    store,
    provider: createPlaidProvider({
      clientId: 'c',
      secret: 's',
      basePath: sandbox.url,
      defaultRetryAfterMs: 1,
    }),
    cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
    events,
    options: { pageSize, retry: { baseDelayMs: 1, maxDelayMs: 4 } },
  });
  const link = await engine.link({ userId, publicToken: sandbox.createPublicToken('ins_109508') });
  await link.initialSync;
  return {
    sandbox,
    store,
    engine,
    published,
    connectionId: link.connection.id,
    itemId: sandbox.items()[0]?.itemId ?? '',
    async webhooksSettled() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

describe('sync engine with the Plaid sandbox', () => {
  beforeEach(async () => {
    harness = await start();
  });
  afterEach(async () => {
    await harness?.webhooksSettled();
    await harness?.sandbox.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('links and syncs the history exactly', async () => {
    const h = harness!;
    expect(await stored(h.store)).toEqual(truth(h.sandbox, h.itemId));
    expect(h.published.filter((e) => e.type === 'connection.linked')).toHaveLength(1);
  });

  it('restarts from the first cursor when the data changes on a later page', async () => {
    const h = harness!;
    await h.sandbox.advance(5);
    await h.webhooksSettled();
    h.sandbox.setWebhookDelivery({ reorder: true });
    await h.sandbox.advance(10);
    h.sandbox.injectFault({ endpoint: '/transactions/sync', kind: 'mutation_during_pagination', after: 2 });
    const result = await h.engine.syncConnection(userId, h.connectionId);
    expect(result.restarts).toBe(1);
    expect(result.pages).toBeGreaterThan(2);
    expect(await stored(h.store)).toEqual(truth(h.sandbox, h.itemId));
  });

  it('marks the connection for login on ITEM_LOGIN_REQUIRED and heals on LOGIN_REPAIRED', async () => {
    const h = harness!;
    h.sandbox.resetLogin(h.itemId);
    await h.sandbox.advance(3);
    await expect(h.engine.syncConnection(userId, h.connectionId)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    expect((await h.store.connections.get(userId, h.connectionId))?.status).toBe('reauth_required');
    expect(h.published.filter((e) => e.type === 'connection.reauth_required')).toHaveLength(1);
    await h.sandbox.repairLogin(h.itemId);
    await h.webhooksSettled();
    expect((await h.store.connections.get(userId, h.connectionId))?.status).toBe('active');
    expect(await stored(h.store)).toEqual(truth(h.sandbox, h.itemId));
  });

  it('is not confused by duplicated and reordered webhooks', async () => {
    const h = harness!;
    h.sandbox.setWebhookDelivery({ duplicates: 2, reorder: true });
    await h.sandbox.advance(2);
    await h.sandbox.advance(2);
    await h.sandbox.flushWebhooks();
    await h.webhooksSettled();
    expect(h.sandbox.webhookDeliveries.filter((d) => d.status === 200).length).toBeGreaterThanOrEqual(6);
    expect(await stored(h.store)).toEqual(truth(h.sandbox, h.itemId));
  });
});
