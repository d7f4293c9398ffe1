import { describe, expect, it } from 'vitest';
import { createCategorizer } from '../categorize/create-categorizer.js';
import { createSyncCategorize } from '../categorize/create-sync-categorize.js';
import { createTokenCipher } from '../crypto/create-token-cipher.js';
import { generateTokenKey } from '../crypto/generate-token-key.js';
import { FinkitError } from '../errors/finkit-error.js';
import { createMemoryEventBus } from '../events/create-memory-event-bus.js';
import { createMemoryJobRunner } from '../jobs/create-memory-job-runner.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type {
  BankProvider,
  ProviderAccount,
  ProviderTransaction,
  ProviderWebhook,
  SyncPage,
} from '../ports/bank-provider.js';
import type { Embedder } from '../ports/embedder.js';
import type { Store } from '../ports/store.js';
import type { FinkitEvent } from '../schemas/event.js';
import { createSyncEngine, type SyncEngineDeps } from './sync-engine.js';

/*
 * A BankProvider that replays a scripted change log, standing in for the port in these unit tests
 * of the engine's control flow. The end-to-end truth comes from the Plaid sandbox property test.
 * The cursor is an index into the item's log, so pages are exactly what Plaid would page out.
 */
type Change = { kind: 'added' | 'modified'; txn: ProviderTransaction } | { kind: 'removed'; id: string };
type Method = 'syncTransactions' | 'getItem' | 'getAccounts' | 'getBalances' | 'removeItem';

interface ScriptedItem {
  log: Change[];
  itemError: { code: string; message: string } | null;
  balance: number;
}

function account(id: string, current: number): ProviderAccount {
  return {
    providerAccountId: id,
    name: `Account ${id}`,
    officialName: null,
    type: 'depository',
    subtype: 'checking',
    mask: '0000',
    currency: 'USD',
    balances: {
      current,
      available: current,
      limit: null,
      currency: 'USD',
      asOf: new Date('2024-03-01T00:00:00Z'),
    },
  };
}

function txn(id: string, amount: number, extra: Partial<ProviderTransaction> = {}): ProviderTransaction {
  return {
    providerTransactionId: id,
    providerAccountId: 'acc-1',
    pendingTransactionId: null,
    date: '2024-03-01',
    authorizedDate: null,
    amount,
    currency: 'USD',
    description: `SHOP ${id}`,
    merchantName: `Shop ${id}`,
    pending: false,
    providerCategory: null,
    ...extra,
  };
}

function createScriptedProvider() {
  const items = new Map<string, ScriptedItem>();
  const faults: { method: Method; error: Error }[] = [];
  const calls: { method: Method; cursor?: string | null }[] = [];
  let gate: Promise<void> | null = null;
  let linkTokenInput: unknown = null;

  const itemOf = (accessToken: string): ScriptedItem => {
    const item = items.get(accessToken.replace(/^access-/, ''));
    if (!item)
      throw new FinkitError('PROVIDER', 'unknown token', {
        details: { providerCode: 'INVALID_ACCESS_TOKEN' },
      });
    return item;
  };
  const enter = async (method: Method, cursor?: string | null) => {
    calls.push({ method, cursor });
    const index = faults.findIndex((f) => f.method === method);
    if (index >= 0) {
      const [fault] = faults.splice(index, 1);
      throw fault?.error;
    }
  };

  const provider: BankProvider = {
    id: 'scripted',
    capabilities: { webhooks: true },
    async createLinkToken(input) {
      linkTokenInput = input;
      return { linkToken: 'link-token', expiration: '2030-01-01T00:00:00Z' };
    },
    async exchangePublicToken(publicToken) {
      const key = publicToken.replace(/^public-/, '');
      if (!items.has(key)) items.set(key, { log: [], itemError: null, balance: 1000 });
      return { accessToken: `access-${key}`, itemId: `item-${key}` };
    },
    async getItem(accessToken) {
      await enter('getItem');
      const item = itemOf(accessToken);
      return {
        itemId: 'x',
        institutionId: 'ins_1',
        institutionName: 'First Platypus Bank',
        error: item.itemError,
      };
    },
    async getAccounts(accessToken) {
      await enter('getAccounts');
      return [account('acc-1', itemOf(accessToken).balance)];
    },
    async getBalances(accessToken) {
      await enter('getBalances');
      return [account('acc-1', itemOf(accessToken).balance)];
    },
    async syncTransactions(accessToken, cursor, options) {
      await enter('syncTransactions', cursor);
      if (gate) await gate;
      const item = itemOf(accessToken);
      const start = cursor === null ? 0 : Number(cursor);
      const count = options?.count ?? 500;
      const slice = item.log.slice(start, start + count);
      const page: SyncPage = {
        added: [],
        modified: [],
        removed: [],
        nextCursor: String(start + slice.length),
        hasMore: start + count < item.log.length,
        accounts: [account('acc-1', item.balance)],
      };
      for (const change of slice) {
        if (change.kind === 'removed')
          page.removed.push({ providerTransactionId: change.id, providerAccountId: null });
        else page[change.kind].push(change.txn);
      }
      return page;
    },
    async getTransactions() {
      return { transactions: [], totalTransactions: 0 };
    },
    async refreshTransactions() {},
    async removeItem(accessToken) {
      await enter('removeItem');
      itemOf(accessToken);
    },
    async verifyWebhook(rawBody, headers) {
      if (headers['x-signature'] !== 'valid') throw new FinkitError('WEBHOOK_VERIFICATION', 'bad signature');
      return JSON.parse(rawBody) as ProviderWebhook;
    },
  };

  return {
    provider,
    calls,
    item: (key: string) => {
      const item = items.get(key);
      if (!item) throw new Error(`no item ${key}`);
      return item;
    },
    fail(method: Method, error: Error, times = 1) {
      for (let i = 0; i < times; i++) faults.push({ method, error });
    },
    /** Holds every syncTransactions call until the returned function is called. */
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
      return release;
    },
    syncCalls: () => calls.filter((c) => c.method === 'syncTransactions'),
    linkTokenInput: () => linkTokenInput,
  };
}

const serverError = () =>
  new FinkitError('PROVIDER', 'Internal error', {
    details: { providerCode: 'INTERNAL_SERVER_ERROR', status: 500 },
  });
const mutation = () =>
  new FinkitError('PROVIDER', 'Mutation', {
    details: { providerCode: 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION', status: 400 },
  });
const loginRequired = () =>
  new FinkitError('REAUTH_REQUIRED', 'Login required', { details: { providerCode: 'ITEM_LOGIN_REQUIRED' } });

function setup(overrides: Partial<SyncEngineDeps> = {}, store: Store = createMemoryStore()) {
  const scripted = createScriptedProvider();
  const events = createMemoryEventBus();
  const published: FinkitEvent[] = [];
  events.subscribe('*', (event) => published.push(event));
  const cipher = createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' });
  const deps: SyncEngineDeps = {
    store,
    provider: scripted.provider,
    cipher,
    events,
    options: { pageSize: 2, retry: { baseDelayMs: 1, maxDelayMs: 2 } },
    ...overrides,
  };
  const engine = createSyncEngine(deps);
  const ofType = (type: FinkitEvent['type']) => published.filter((e) => e.type === type);
  return { engine, store, scripted, published, ofType, deps };
}

async function listAll(store: Store, userId: string) {
  const page = await store.transactions.list(userId, { includeHidden: true }, { limit: 1000 });
  return page.items;
}

/** Links item `key` with an initial log and waits for the initial sync. */
async function linked(ctx: ReturnType<typeof setup>, key = 'a', log: Change[] = []) {
  await ctx.scripted.provider.exchangePublicToken(`public-${key}`);
  ctx.scripted.item(key).log.push(...log);
  const result = await ctx.engine.link({ userId: 'u1', publicToken: `public-${key}` });
  await result.initialSync;
  return result.connection.id;
}

describe('createSyncEngine: link', () => {
  it('stores the connection with an encrypted token, its accounts, publishes, and syncs history', async () => {
    const ctx = setup();
    await ctx.engine.createLinkToken('u1');
    expect(ctx.scripted.linkTokenInput()).toEqual({ userId: 'u1', daysRequested: 90 });
    const id = await linked(ctx, 'a', [
      { kind: 'added', txn: txn('t1', -100) },
      { kind: 'added', txn: txn('t2', -200) },
      { kind: 'added', txn: txn('t3', 5000) },
    ]);
    const connection = await ctx.store.connections.get('u1', id);
    expect(connection?.encryptedAccessToken).not.toContain('access-a');
    expect(await ctx.deps.cipher.decrypt(connection?.encryptedAccessToken ?? '')).toBe('access-a');
    expect(connection?.cursor).toBe('3');
    expect(connection?.institutionName).toBe('First Platypus Bank');
    expect((await ctx.store.accounts.list('u1')).map((a) => a.providerAccountId)).toEqual(['acc-1']);
    expect((await listAll(ctx.store, 'u1')).map((t) => t.providerTransactionId).sort()).toEqual([
      't1',
      't2',
      't3',
    ]);
    expect(ctx.ofType('connection.linked')).toHaveLength(1);
    expect(ctx.ofType('transaction.created')).toHaveLength(3);
    expect(JSON.stringify(ctx.published)).not.toContain('access-a');
  });

  it('refuses to link the same item twice', async () => {
    const ctx = setup();
    await linked(ctx, 'a');
    await expect(ctx.engine.link({ userId: 'u1', publicToken: 'public-a' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('asks for the configured days of history', async () => {
    const ctx = setup({ options: { daysRequested: 730 } });
    await ctx.engine.createLinkToken('u1');
    expect(ctx.scripted.linkTokenInput()).toEqual({ userId: 'u1', daysRequested: 730 });
  });
});

describe('createSyncEngine: one sync', () => {
  it('reduces pages to their net effect and applies them in one batch', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a', [
      { kind: 'added', txn: txn('keep', -100) },
      { kind: 'added', txn: txn('gone', -200) },
      { kind: 'modified', txn: txn('keep', -150, { description: 'SHOP keep UPDATED' }) },
      { kind: 'removed', id: 'gone' },
    ]);
    const rows = await listAll(ctx.store, 'u1');
    expect(rows.map((t) => [t.providerTransactionId, t.amount, t.description])).toEqual([
      ['keep', -150, 'SHOP keep UPDATED'],
    ]);
    const synced = ctx.ofType('transactions.synced');
    expect(synced).toHaveLength(1);
    expect(synced[0]?.data).toMatchObject({ connectionId: id, modified: [], removed: [] });
    // "gone" never reached the store, so it is neither created nor removed.
    expect(ctx.ofType('transaction.created')).toHaveLength(1);
    expect(ctx.ofType('transaction.removed')).toHaveLength(0);
  });

  it('moves user edits from pending to posted when the two arrive on different pages', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a', [{ kind: 'added', txn: txn('pend', -999, { pending: true }) }]);
    const [pending] = await listAll(ctx.store, 'u1');
    await ctx.store.transactions.edit(
      'u1',
      [
        {
          id: pending?.id ?? '',
          fields: { categoryId: 'travel', notes: 'trip', tags: ['work'], hidden: true },
        },
      ],
      'user',
    );
    ctx.scripted
      .item('a')
      .log.push(
        { kind: 'added', txn: txn('filler', -1) },
        { kind: 'added', txn: txn('posted', -1000, { pendingTransactionId: 'pend' }) },
        { kind: 'removed', id: 'pend' },
      );
    const result = await ctx.engine.syncConnection('u1', id);
    expect(result).toMatchObject({ added: 2, removed: 1, pages: 2 });
    const rows = await listAll(ctx.store, 'u1');
    const posted = rows.find((t) => t.providerTransactionId === 'posted');
    expect(rows.some((t) => t.providerTransactionId === 'pend')).toBe(false);
    expect(posted).toMatchObject({
      amount: -1000,
      pending: false,
      categoryId: 'travel',
      notes: 'trip',
      tags: ['work'],
      hidden: true,
    });
  });

  it('keeps rule-set and user-set fields when the provider modifies a row', async () => {
    const ctx = setup({
      categorize: () => ({ categoryId: 'shopping', confidence: 0.7, explanation: 'hook', source: 'model' }),
    });
    const id = await linked(ctx, 'a', [
      { kind: 'added', txn: txn('t1', -100) },
      { kind: 'added', txn: txn('t2', -100) },
    ]);
    const rows = await listAll(ctx.store, 'u1');
    expect(rows.map((t) => [t.categoryId, t.sources.categoryId])).toEqual([
      ['shopping', 'model'],
      ['shopping', 'model'],
    ]);
    const byProvider = new Map(rows.map((t) => [t.providerTransactionId, t.id]));
    await ctx.store.transactions.edit(
      'u1',
      [{ id: byProvider.get('t1') ?? '', fields: { categoryId: 'travel' } }],
      'rule',
    );
    await ctx.store.transactions.edit(
      'u1',
      [{ id: byProvider.get('t2') ?? '', fields: { merchantName: 'Mine', tags: ['x'] } }],
      'user',
    );
    ctx.scripted
      .item('a')
      .log.push(
        { kind: 'modified', txn: txn('t1', -120, { merchantName: 'New name' }) },
        { kind: 'modified', txn: txn('t2', -130, { merchantName: 'New name' }) },
      );
    await ctx.engine.syncConnection('u1', id);
    const after = new Map((await listAll(ctx.store, 'u1')).map((t) => [t.providerTransactionId, t]));
    expect(after.get('t1')).toMatchObject({ amount: -120, categoryId: 'travel', merchantName: 'New name' });
    expect(after.get('t2')).toMatchObject({
      amount: -130,
      categoryId: 'shopping',
      merchantName: 'Mine',
      tags: ['x'],
    });
    const updated = ctx.ofType('transaction.updated');
    expect(updated).toHaveLength(2);
    expect(updated[0]?.data).toMatchObject({ fields: expect.arrayContaining(['amount', 'merchantName']) });
  });

  it('restarts from the first cursor of the run after a mutation during pagination', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    ctx.scripted
      .item('a')
      .log.push(
        { kind: 'added', txn: txn('t1', -1) },
        { kind: 'added', txn: txn('t2', -2) },
        { kind: 'added', txn: txn('t3', -3) },
      );
    const before = ctx.scripted.syncCalls().length;
    // First page succeeds, the second reports the mutation.
    const original = ctx.scripted.provider.syncTransactions;
    let calls = 0;
    ctx.scripted.provider.syncTransactions = async (...args) => {
      calls += 1;
      if (calls === 2) throw mutation();
      return original(...args);
    };
    const result = await ctx.engine.syncConnection('u1', id);
    ctx.scripted.provider.syncTransactions = original;
    expect(result).toMatchObject({ restarts: 1, added: 3, pages: 2 });
    expect(
      ctx.scripted
        .syncCalls()
        .slice(before)
        .map((c) => c.cursor),
    ).toEqual(['0', '0', '2']);
    expect((await listAll(ctx.store, 'u1')).map((t) => t.providerTransactionId).sort()).toEqual([
      't1',
      't2',
      't3',
    ]);
  });

  it('gives up after bounded mutation restarts and writes nothing', async () => {
    const ctx = setup({
      options: { pageSize: 2, maxMutationRestarts: 2, retry: { baseDelayMs: 1, maxDelayMs: 2 } },
    });
    const id = await linked(ctx, 'a');
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t1', -1) });
    ctx.scripted.fail('syncTransactions', mutation(), 3);
    await expect(ctx.engine.syncConnection('u1', id)).rejects.toMatchObject({ code: 'PROVIDER' });
    expect(await listAll(ctx.store, 'u1')).toEqual([]);
    const connection = await ctx.store.connections.get('u1', id);
    expect(connection).toMatchObject({ status: 'error', cursor: '0' });
    expect(connection?.lastError?.code).toBe('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
  });

  it('retries server errors and rate limits, then succeeds', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t1', -1) });
    ctx.scripted.fail('syncTransactions', serverError(), 2);
    ctx.scripted.fail('syncTransactions', new FinkitError('RATE_LIMITED', 'slow down', { retryAfterMs: 1 }));
    ctx.scripted.fail('syncTransactions', new TypeError('fetch failed'));
    // Four failures need four retries.
    const engine = createSyncEngine({
      ...ctx.deps,
      options: { retry: { maxRetries: 4, baseDelayMs: 1, maxDelayMs: 2 } },
    });
    const result = await engine.syncConnection('u1', id);
    expect(result.added).toBe(1);
    expect((await ctx.store.connections.get('u1', id))?.status).toBe('active');
  });

  it('records the error after the retries are spent, and clears it on the next good sync', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t1', -1) });
    ctx.scripted.fail('syncTransactions', serverError(), 4);
    await expect(ctx.engine.syncConnection('u1', id)).rejects.toMatchObject({ code: 'PROVIDER' });
    expect(await listAll(ctx.store, 'u1')).toEqual([]);
    expect(await ctx.store.connections.get('u1', id)).toMatchObject({
      status: 'error',
      lastError: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(ctx.ofType('connection.error')).toHaveLength(1);

    await ctx.engine.syncConnection('u1', id);
    expect(await ctx.store.connections.get('u1', id)).toMatchObject({ status: 'active', lastError: null });
    expect(await listAll(ctx.store, 'u1')).toHaveLength(1);
  });

  it('marks the connection for re-authentication without retrying', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    const before = ctx.scripted.syncCalls().length;
    ctx.scripted.fail('syncTransactions', loginRequired(), 5);
    await expect(ctx.engine.syncConnection('u1', id)).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    expect(ctx.scripted.syncCalls().length - before).toBe(1);
    expect((await ctx.store.connections.get('u1', id))?.status).toBe('reauth_required');
    expect(ctx.ofType('connection.reauth_required').map((e) => e.data)).toEqual([
      { connectionId: id, code: 'ITEM_LOGIN_REQUIRED' },
    ]);
    await expect(ctx.engine.syncConnection('u1', id)).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    // The same state again is not news.
    expect(ctx.ofType('connection.reauth_required')).toHaveLength(1);
  });

  it('refreshes balances through the provider', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    ctx.scripted.item('a').balance = 4242;
    const accounts = await ctx.engine.refreshBalances('u1', id);
    expect(accounts.map((a) => a.balances.current)).toEqual([4242]);
    expect((await ctx.store.accounts.list('u1'))[0]?.balances.current).toBe(4242);
  });
});

describe('createSyncEngine: embeddings', () => {
  // A real (if tiny) embedder: hashed character trigrams, L2-normalised.
  function trigramEmbedder(calls: string[][]): Embedder {
    const dimensions = 64;
    return {
      id: 'trigram-64',
      dimensions,
      async embed(texts) {
        calls.push([...texts]);
        return texts.map((text) => {
          const v = new Float32Array(dimensions);
          const t = ` ${text.toLowerCase()} `;
          for (let i = 0; i + 3 <= t.length; i++) {
            let h = 0;
            for (const c of t.slice(i, i + 3)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
            v[h % dimensions]! += 1;
          }
          const norm = Math.hypot(...v) || 1;
          return v.map((x) => x / norm);
        });
      },
    };
  }

  it('embeds new and changed descriptors in the same write, so search finds them', async () => {
    const calls: string[][] = [];
    const embedder = trigramEmbedder(calls);
    const ctx = setup({ embedder });
    await linked(ctx, 'a', [
      { kind: 'added', txn: txn('c1', -450, { description: 'SQ *BLUE BOTTLE COFFEE OAKLAND CA' }) },
      { kind: 'added', txn: txn('g1', -4000, { description: 'SHELL OIL 5744 SAN JOSE CA' }) },
      { kind: 'modified', txn: txn('g1', -4100, { description: 'SHELL OIL 5744 SAN JOSE CA' }) },
    ]);
    expect(calls.flat()).toHaveLength(2);
    const [query] = await embedder.embed(['blue bottle coffee']);
    const hits = await ctx.store.searchSimilar('u1', { vector: query!, model: 'trigram-64', k: 1 });
    expect(hits.map((h) => h.transaction.providerTransactionId)).toEqual(['c1']);
    // A modification that leaves the text alone is not embedded again.
    calls.length = 0;
    ctx.scripted.item('a').log.push({
      kind: 'modified',
      txn: txn('c1', -500, { description: 'SQ *BLUE BOTTLE COFFEE OAKLAND CA' }),
    });
    const [connection] = await ctx.store.connections.list('u1');
    await ctx.engine.syncConnection('u1', connection!.id);
    expect(calls.flat()).toEqual([]);
  });

  it('still syncs when the embedder fails, and reports it', async () => {
    const errors: unknown[] = [];
    const broken: Embedder = {
      id: 'broken',
      dimensions: 3,
      embed: async () => Promise.reject(new Error('model gone')),
    };
    const ctx = setup({ embedder: broken, onError: (error) => errors.push(error) });
    await linked(ctx, 'a', [{ kind: 'added', txn: txn('t1', -100) }]);
    expect(await listAll(ctx.store, 'u1')).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ message: 'model gone' })]);
  });

  it('names a merchant from the descriptor when the provider sends none', async () => {
    const ctx = setup();
    await linked(ctx, 'a', [
      {
        kind: 'added',
        txn: txn('c1', -450, { description: 'SQ *BLUE BOTTLE COFFEE OAKLAND CA', merchantName: null }),
      },
    ]);
    const [row] = await listAll(ctx.store, 'u1');
    expect([row?.merchantName, row?.sources.merchantName]).toEqual(['Blue Bottle Coffee', 'model']);
  });
});

describe('createSyncEngine: rules at sync', () => {
  it('applies every action of a matching rule to new rows, recorded as set by the rule', async () => {
    const store = createMemoryStore();
    await store.rules.create('u1', {
      name: 'Coffee',
      enabled: true,
      stage: 'default',
      priority: 0,
      match: 'all',
      conditions: [{ field: 'description', op: 'contains', value: 'BLUE BOTTLE', caseSensitive: false }],
      actions: {
        categoryId: 'food_and_dining',
        merchantName: 'Blue Bottle',
        addTags: ['coffee'],
        hidden: true,
      },
    });
    const ctx = setup({ categorizeMany: createSyncCategorize(createCategorizer({ store }), store) }, store);
    await linked(ctx, 'a', [
      { kind: 'added', txn: txn('c1', -450, { description: 'SQ *BLUE BOTTLE COFFEE OAKLAND CA' }) },
      { kind: 'added', txn: txn('g1', -4000, { description: 'SHELL OIL 5744' }) },
    ]);
    const rows = await listAll(store, 'u1');
    expect(rows.find((r) => r.providerTransactionId === 'c1')).toMatchObject({
      categoryId: 'food_and_dining',
      merchantName: 'Blue Bottle',
      tags: ['coffee'],
      hidden: true,
      sources: { categoryId: 'rule', merchantName: 'rule', tags: 'rule', hidden: 'rule' },
    });
    expect(rows.find((r) => r.providerTransactionId === 'g1')).toMatchObject({ tags: [], hidden: false });
  });
});

describe('createSyncEngine: concurrency', () => {
  it('coalesces requests made during a sync into exactly one follow-up run that sees their data', async () => {
    const ctx = setup({ options: { pageSize: 500 } });
    const id = await linked(ctx, 'a');
    const before = ctx.scripted.syncCalls().length;
    const release = ctx.scripted.hold();
    const first = ctx.engine.syncConnection('u1', id);
    // Let the first run reach the provider before more requests come in.
    while (ctx.scripted.syncCalls().length === before) await new Promise((r) => setImmediate(r));
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('late', -5) });
    const followers = [1, 2, 3].map(() => ctx.engine.syncConnection('u1', id));
    release();
    const [firstResult, ...rest] = await Promise.all([first, ...followers]);
    expect(firstResult?.added).toBe(1);
    expect(rest.map((r) => r.added)).toEqual([0, 0, 0]);
    expect(ctx.scripted.syncCalls().length - before).toBe(2);
    expect((await listAll(ctx.store, 'u1')).map((t) => t.providerTransactionId)).toEqual(['late']);
  });

  it('never lets another user join a run of this connection', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    const release = ctx.scripted.hold();
    const mine = ctx.engine.syncConnection('u1', id);
    const queued = ctx.engine.syncConnection('u1', id);
    const theirs = ctx.engine.syncConnection('intruder', id);
    release();
    await expect(theirs).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(Promise.all([mine, queued])).resolves.toHaveLength(2);
  });

  it('re-runs from the stored cursor when another process applied first', async () => {
    const store = createMemoryStore();
    const ctx = setup({}, store);
    const id = await linked(ctx, 'a');
    // A second engine over the same store and provider: another process with its own lock.
    const other = createSyncEngine(ctx.deps);
    ctx.scripted
      .item('a')
      .log.push({ kind: 'added', txn: txn('t1', -1) }, { kind: 'added', txn: txn('t2', -2) });
    const before = ctx.scripted.syncCalls().length;
    const release = ctx.scripted.hold();
    const slow = ctx.engine.syncConnection('u1', id);
    const fast = other.syncConnection('u1', id);
    // Both have read cursor 0 and wait at the provider before either applies.
    while (ctx.scripted.syncCalls().length < before + 2) await new Promise((r) => setImmediate(r));
    release();
    // Whichever applies second gets CONFLICT and re-runs from the cursor the first one stored.
    const results = await Promise.all([slow, fast]);
    expect(results.map((r) => r.added).sort()).toEqual([0, 2]);
    expect(
      ctx.scripted
        .syncCalls()
        .slice(before)
        .map((c) => c.cursor),
    ).toEqual(['0', '0', '2']);
    expect((await listAll(store, 'u1')).map((t) => t.providerTransactionId).sort()).toEqual(['t1', 't2']);
    expect((await store.connections.get('u1', id))?.cursor).toBe('2');
  });
});

describe('createSyncEngine: webhooks, schedule and unlink', () => {
  const hook = (body: ProviderWebhook) => JSON.stringify(body);
  const headers = { 'x-signature': 'valid' };

  it('syncs on SYNC_UPDATES_AVAILABLE and ignores unknown items and bad signatures', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t1', -1) });
    const outcome = await ctx.engine.handleWebhook(
      hook({ kind: 'sync_updates_available', itemId: 'item-a' }),
      headers,
    );
    expect(outcome).toMatchObject({ action: 'sync', connectionId: id });
    if (outcome.action === 'sync') await outcome.done;
    expect(await listAll(ctx.store, 'u1')).toHaveLength(1);
    // A duplicate is harmless.
    const again = await ctx.engine.handleWebhook(
      hook({ kind: 'sync_updates_available', itemId: 'item-a' }),
      headers,
    );
    if (again.action === 'sync') await again.done;
    expect(await listAll(ctx.store, 'u1')).toHaveLength(1);

    expect(
      await ctx.engine.handleWebhook(hook({ kind: 'sync_updates_available', itemId: 'item-zzz' }), headers),
    ).toMatchObject({ action: 'ignored', reason: 'unknown_item' });
    await expect(
      ctx.engine.handleWebhook(hook({ kind: 'sync_updates_available', itemId: 'item-a' }), {}),
    ).rejects.toMatchObject({ code: 'WEBHOOK_VERIFICATION' });
  });

  it('follows the item state for error and repair webhooks, whatever their order', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    const itemError = hook({
      kind: 'item_error',
      itemId: 'item-a',
      code: 'ITEM_LOGIN_REQUIRED',
      message: 'login',
    });
    ctx.scripted.item('a').itemError = { code: 'ITEM_LOGIN_REQUIRED', message: 'login' };
    await ctx.engine.handleWebhook(itemError, headers);
    await ctx.engine.handleWebhook(itemError, headers);
    expect((await ctx.store.connections.get('u1', id))?.status).toBe('reauth_required');
    expect(ctx.ofType('connection.reauth_required')).toHaveLength(1);

    ctx.scripted.item('a').itemError = null;
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t1', -1) });
    const repaired = await ctx.engine.handleWebhook(
      hook({ kind: 'login_repaired', itemId: 'item-a' }),
      headers,
    );
    if (repaired.action === 'sync') await repaired.done;
    expect((await ctx.store.connections.get('u1', id))?.status).toBe('active');
    expect(await listAll(ctx.store, 'u1')).toHaveLength(1);

    // The old error webhook arriving late does not undo the repair: the item has no error now.
    await ctx.engine.handleWebhook(itemError, headers);
    expect((await ctx.store.connections.get('u1', id))?.status).toBe('active');

    await ctx.engine.handleWebhook(hook({ kind: 'user_permission_revoked', itemId: 'item-a' }), headers);
    expect(await ctx.store.connections.get('u1', id)).toMatchObject({
      status: 'reauth_required',
      lastError: { code: 'USER_PERMISSION_REVOKED' },
    });
  });

  it('keeps syncing a connection whose consent expires soon, without clearing the request', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a');
    await ctx.engine.handleWebhook(
      hook({ kind: 'pending_expiration', itemId: 'item-a', expiresAt: '2030-01-01T00:00:00Z' }),
      headers,
    );
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t1', -1) });
    expect(await ctx.engine.syncAll()).toMatchObject({ connections: 1, succeeded: 1 });
    expect(await listAll(ctx.store, 'u1')).toHaveLength(1);
    expect(await ctx.store.connections.get('u1', id)).toMatchObject({
      status: 'reauth_required',
      lastError: { code: 'PENDING_EXPIRATION' },
    });
  });

  it('syncAll syncs active and errored connections and isolates failures', async () => {
    const ctx = setup();
    await linked(ctx, 'a');
    await linked(ctx, 'b');
    ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('a1', -1) });
    ctx.scripted.item('b').log.push({ kind: 'added', txn: txn('b1', -1) });
    ctx.scripted.fail('syncTransactions', loginRequired());
    const first = await ctx.engine.syncAll();
    expect(first).toMatchObject({ connections: 2, succeeded: 1, failed: 1 });
    const second = await ctx.engine.syncAll();
    expect(second).toMatchObject({ connections: 1, succeeded: 1, failed: 0 });
  });

  it('unlinks: revokes at the provider, closes accounts, and refuses later syncs', async () => {
    const ctx = setup();
    const id = await linked(ctx, 'a', [{ kind: 'added', txn: txn('t1', -1) }]);
    await ctx.engine.unlink('u1', id);
    expect(ctx.scripted.calls.filter((c) => c.method === 'removeItem')).toHaveLength(1);
    expect((await ctx.store.connections.get('u1', id))?.status).toBe('removed');
    expect(await ctx.store.accounts.list('u1')).toEqual([]);
    expect(ctx.ofType('connection.removed')).toHaveLength(1);
    await expect(ctx.engine.syncConnection('u1', id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await ctx.engine.unlink('u1', id);
    expect(ctx.scripted.calls.filter((c) => c.method === 'removeItem')).toHaveLength(1);
    await expect(ctx.engine.unlink('u2', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('createSyncEngine: with a job runner', () => {
  const headers = { 'x-signature': 'valid' };

  it('runs the initial sync, webhook syncs and syncAll as singleton jobs', async () => {
    const jobs = createMemoryJobRunner({ onError: () => {} });
    const ctx = setup({ jobs });
    try {
      await ctx.engine.registerJobs(jobs);
      await ctx.scripted.provider.exchangePublicToken('public-a');
      ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t1', -1) });
      const link = await ctx.engine.link({ userId: 'u1', publicToken: 'public-a' });
      expect(link.initialSync).toBeNull();
      await jobs.idle();
      expect(await listAll(ctx.store, 'u1')).toHaveLength(1);

      ctx.scripted.item('a').log.push({ kind: 'added', txn: txn('t2', -2) });
      const body = JSON.stringify({ kind: 'sync_updates_available', itemId: 'item-a' });
      const outcomes = await Promise.all([1, 2, 3].map(() => ctx.engine.handleWebhook(body, headers)));
      expect(outcomes.map((o) => o.action)).toEqual(['sync', 'sync', 'sync']);
      await jobs.idle();
      expect(await listAll(ctx.store, 'u1')).toHaveLength(2);

      expect(await ctx.engine.syncAll()).toMatchObject({ connections: 1 });
      await jobs.idle();
    } finally {
      await jobs.stop();
    }
  });

  it('does not retry a job whose failure is already recorded on the connection', async () => {
    const jobs = createMemoryJobRunner({ onError: () => {} });
    const ctx = setup({ jobs });
    try {
      await ctx.engine.registerJobs(jobs);
      const link = await ctx.engine.link({ userId: 'u1', publicToken: 'public-a' });
      await jobs.idle();
      const before = ctx.scripted.syncCalls().length;
      ctx.scripted.fail('syncTransactions', loginRequired(), 10);
      await jobs.enqueue('finkit.sync', { userId: 'u1', connectionId: link.connection.id });
      await jobs.idle();
      expect(ctx.scripted.syncCalls().length - before).toBe(1);
      expect((await ctx.store.connections.get('u1', link.connection.id))?.status).toBe('reauth_required');
    } finally {
      await jobs.stop();
    }
  });
});
