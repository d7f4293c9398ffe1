import { describe, expect, it } from 'vitest';
import { createHarness } from './app-fixture.js';

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

describe('createFinkitApp REST', () => {
  it('lists the user’s connections without tokens, and hides other users’ ones', async () => {
    const h = await createHarness();
    const list = (await json(await h.call('GET', '/connections'))) as {
      items: { id: string; status: string }[];
    };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ status: 'active' });
    expect(JSON.stringify(list)).not.toMatch(/encryptedAccessToken|access-/);
    const id = list.items[0]!.id;
    expect((await json(await h.call('GET', `/connections/${id}`))).id).toBe(id);
    expect((await h.call('GET', `/connections/${id}`, undefined, h.bobToken)).status).toBe(404);
    expect((await h.call('GET', '/connections', undefined, null)).status).toBe(401);
  });

  it('lists accounts and transactions with filters and a keyset cursor', async () => {
    const h = await createHarness();
    const accounts = await json(await h.call('GET', '/accounts'));
    expect(accounts.items).toEqual([expect.objectContaining({ id: h.alice.accountId, currency: 'USD' })]);
    expect(JSON.stringify(accounts)).not.toContain('access');

    const first = await h.call('GET', '/transactions?limit=2');
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as {
      items: { id: string; date: string; amount: number }[];
      nextCursor: string;
    };
    expect(page1.items.map((t) => t.date)).toEqual(['2024-03-03', '2024-03-02']);
    expect(Number.isInteger(page1.items[0]!.amount)).toBe(true);
    const page2 = (await (
      await h.call('GET', `/transactions?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`)
    ).json()) as { items: { date: string }[]; nextCursor: string | null };
    expect(page2.items.map((t) => t.date)).toEqual(['2024-03-01', '2024-02-20']);
    expect(page2.nextCursor).toBeNull();

    const outflows = (await json(await h.call('GET', '/transactions?maxAmount=-1000&from=2024-03-01'))) as {
      items: { amount: number }[];
    };
    expect(outflows.items.map((t) => t.amount)).toEqual([-12_000]);
    const text = (await json(await h.call('GET', '/transactions?q=safeway'))) as { items: unknown[] };
    expect(text.items).toHaveLength(1);
    const cats = (await json(await h.call('GET', '/transactions?categoryId=income,food_and_dining'))) as {
      items: { categoryId: string }[];
    };
    expect(cats.items.map((t) => t.categoryId)).toEqual(['income']);
  });

  it('names the bad field on invalid queries and cursors', async () => {
    const h = await createHarness();
    const bad = await h.call('GET', '/transactions?from=2024-02-30');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details.issues[0]!.path).toBe('from');
    const amount = (await json(await h.call('GET', '/transactions?minAmount=1.5'))) as {
      error: { details: { issues: { path: string }[] } };
    };
    expect(amount.error.details.issues[0]!.path).toBe('minAmount');
    expect((await h.call('GET', '/transactions?cursor=garbage')).status).toBe(400);
    expect((await h.call('GET', '/transactions?limit=0')).status).toBe(400);
  });

  it('gets, edits and bulk-categorizes transactions as user edits', async () => {
    const h = await createHarness();
    const id = h.alice.transactionIds[0]!;
    const got = await json(await h.call('GET', `/transactions/${id}`));
    expect(got).toMatchObject({ id, amount: -450, date: '2024-03-02' });
    expect(typeof got.createdAt).toBe('string');
    expect(new Date(got.createdAt as string).toISOString()).toBe(got.createdAt);

    const edited = await h.call('PATCH', `/transactions/${id}`, {
      categoryId: 'food_and_dining',
      notes: 'team',
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({
      categoryId: 'food_and_dining',
      notes: 'team',
      sources: { notes: 'user' },
    });

    const unknownField = await json(await h.call('PATCH', `/transactions/${id}`, { amount: 1 }));
    expect(unknownField).toMatchObject({ error: { code: 'VALIDATION' } });
    const unknownCategory = await h.call('PATCH', `/transactions/${id}`, { categoryId: 'nope' });
    expect(unknownCategory.status).toBe(400);

    const bulk = await h.call('POST', '/transactions/bulk-categorize', {
      ids: h.alice.transactionIds.slice(0, 2),
      categoryId: 'travel',
    });
    expect(bulk.status).toBe(200);
    expect(
      ((await bulk.json()) as { items: { categoryId: string }[] }).items.map((t) => t.categoryId),
    ).toEqual(['travel', 'travel']);
    // All or none: one of bob's ids in the batch changes nothing of alice's.
    const mixed = await h.call('POST', '/transactions/bulk-categorize', {
      ids: [h.alice.transactionIds[2]!, h.bob.transactionIds[0]!],
      categoryId: 'travel',
    });
    expect(mixed.status).toBe(404);
    expect(await h.finkit.transactions.get('alice', h.alice.transactionIds[2]!)).toMatchObject({
      categoryId: 'income',
    });
  });

  it('answers stats in minor units by category, month and merchant', async () => {
    const h = await createHarness();
    const stats = (await json(await h.call('GET', '/transactions/stats?groupBy=month'))) as {
      rows: { key: string; inflow: number; outflow: number; count: number }[];
      totals: { currency: string; inflow: number; outflow: number; net: number }[];
    };
    expect(stats.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: '2024-03', inflow: 250_000, outflow: -12_450, count: 3 }),
        expect.objectContaining({ key: '2024-02', inflow: 0, outflow: -1999, count: 1 }),
      ]),
    );
    expect(stats.totals).toEqual([
      { currency: 'USD', inflow: 250_000, outflow: -14_449, net: 235_551, count: 4 },
    ]);
    const byCategory = (await json(await h.call('GET', '/transactions/stats'))) as { groupBy: string };
    expect(byCategory.groupBy).toBe('category');
    expect((await h.call('GET', '/transactions/stats?groupBy=weekday')).status).toBe(400);
  });

  it('exports CSV with RFC 4180 quoting, exact decimals and neutralised formulas', async () => {
    const h = await createHarness();
    await h.call('PATCH', `/transactions/${h.alice.transactionIds[1]!}`, { notes: 'said "hi", then\nleft' });
    const res = await h.call('GET', '/transactions/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'id,date,authorized_date,account_id,description,merchant_name,amount,currency,category_id,pending,notes,tags',
    );
    expect(text).toContain(',-120.00,USD,');
    expect(text).toContain(',2500.00,USD,');
    expect(text).toContain('"said ""hi"", then\nleft"');
    expect(text).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(text).not.toContain(h.bob.transactionIds[0]!);
    expect(text.endsWith('\r\n')).toBe(true);
    // The quoted newline is a bare LF inside a field, so records split on CRLF stay whole.
    expect(lines.filter((l) => l.length > 0)).toHaveLength(5);
  });

  it('streams an export bigger than one page without losing or repeating rows', async () => {
    const h = await createHarness();
    const { store } = h;
    await store.applySyncBatch({
      userId: 'alice',
      connectionId: h.alice.connectionId,
      nextCursor: 'c2',
      accounts: [],
      upserts: Array.from({ length: 1203 }, (_, i) => ({
        providerTransactionId: `bulk-${i}`,
        providerAccountId: 'acc-alice',
        pendingTransactionId: null,
        date: `2023-${String((i % 12) + 1).padStart(2, '0')}-15`,
        authorizedDate: null,
        amount: -(i + 1),
        currency: 'USD',
        description: `ROW ${i}`,
        merchantName: null,
        pending: false,
        providerCategory: null,
        categoryId: 'shopping',
        categoryConfidence: 0.5,
        categoryExplanation: 'provider',
        tags: [],
        hidden: false,
        sources: {},
      })),
      removed: [],
      syncedAt: new Date('2024-03-05T00:00:00Z'),
    });
    const text = await (await h.call('GET', '/transactions/export?to=2023-12-31')).text();
    const ids = text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(ids).toHaveLength(1203);
    expect(new Set(ids).size).toBe(1203);
  });

  it('searches by meaning, and answers 501 without an embedder', async () => {
    const h = await createHarness();
    const res = await h.call('POST', '/transactions/search', { query: 'blue bottle coffee', k: 2 });
    expect(res.status).toBe(200);
    const found = (await res.json()) as {
      items: { transaction: { id: string; userId: string }; score: number }[];
    };
    expect(found.items[0]!.transaction.id).toBe(h.alice.transactionIds[0]);
    expect(found.items.every((i) => i.transaction.userId === 'alice')).toBe(true);
    const filtered = (await json(
      await h.call('POST', '/transactions/search', { query: 'coffee', filter: { minAmount: 0 } }),
    )) as { items: { transaction: { amount: number } }[] };
    expect(filtered.items.every((i) => i.transaction.amount >= 0)).toBe(true);

    const bare = await createHarness({ embedder: null });
    const none = await bare.call('POST', '/transactions/search', { query: 'coffee' });
    expect(none.status).toBe(501);
    expect(await none.json()).toMatchObject({ error: { code: 'CAPABILITY_UNAVAILABLE' } });
  });

  it('does budgets CRUD and progress', async () => {
    const h = await createHarness();
    const created = await h.call('POST', '/budgets', {
      name: 'Fun',
      amount: 10_000,
      currency: 'USD',
      startDate: '2024-01-01',
      categoryIds: ['entertainment'],
    });
    expect(created.status).toBe(201);
    const budget = (await created.json()) as { id: string; thresholds: number[] };
    expect(budget.thresholds).toEqual([50, 80, 100]);
    const list = (await json(await h.call('GET', '/budgets'))) as { items: { id: string }[] };
    expect(list.items.map((b) => b.id)).toContain(budget.id);
    const replaced = await h.call('PUT', `/budgets/${budget.id}`, {
      name: 'Fun',
      amount: 20_000,
      currency: 'USD',
      startDate: '2024-01-01',
    });
    expect(await replaced.json()).toMatchObject({ amount: 20_000, categoryIds: [] });
    const currency = await h.call('PUT', `/budgets/${budget.id}`, {
      name: 'Fun',
      amount: 20_000,
      currency: 'EUR',
      startDate: '2024-01-01',
    });
    expect(currency.status).toBe(400);
    const float = (await json(
      await h.call('POST', '/budgets', { name: 'x', amount: 10.5, currency: 'USD', startDate: '2024-01-01' }),
    )) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(float.error.code).toBe('VALIDATION');
    expect(float.error.details.issues[0]!.path).toBe('amount');

    const progress = await h.call('GET', `/budgets/${h.alice.budgetId}/progress?date=2024-03-15`);
    expect(progress.status).toBe(200);
    expect(await progress.json()).toMatchObject({
      budgetId: h.alice.budgetId,
      spent: 12_450,
      budgeted: 40_000,
      remaining: 27_550,
      period: { start: '2024-03-01', end: '2024-04-01' },
    });
    expect((await h.call('GET', `/budgets/${h.alice.budgetId}/progress?date=nope`)).status).toBe(400);
    expect((await h.call('DELETE', `/budgets/${budget.id}`)).status).toBe(204);
    expect((await h.call('GET', `/budgets/${budget.id}`)).status).toBe(404);
  });

  it('does goals CRUD, contributions and projections', async () => {
    const h = await createHarness();
    const id = h.alice.goalId;
    const added = await h.call('POST', `/goals/${id}/progress`, { amount: 75_000, date: '2024-03-01' });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ amount: 75_000, note: null, goalId: id });
    expect((await h.call('POST', `/goals/${id}/progress`, { amount: 0, date: '2024-03-01' })).status).toBe(
      400,
    );
    const contributions = (await json(await h.call('GET', `/goals/${id}/contributions`))) as {
      items: unknown[];
    };
    expect(contributions.items).toHaveLength(1);
    const projection = await json(await h.call('GET', `/goals/${id}/projections`));
    expect(projection).toMatchObject({
      goalId: id,
      current: 75_000,
      target: 300_000,
      percent: 25,
      source: 'contributions',
    });
    const replaced = await h.call('PUT', `/goals/${id}`, {
      name: 'Trip',
      targetAmount: 400_000,
      currency: 'USD',
      targetDate: '2030-01-01',
    });
    expect(await replaced.json()).toMatchObject({ targetAmount: 400_000, targetDate: '2030-01-01' });
    const created = await h.call('POST', '/goals', { name: 'Car', targetAmount: 1, currency: 'XYZ' });
    expect(created.status).toBe(400);
    expect((await h.call('DELETE', `/goals/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/goals/${id}/projections`)).status).toBe(404);
  });

  it('does rules CRUD', async () => {
    const h = await createHarness();
    const created = await h.call('POST', '/rules', {
      name: 'Uber',
      conditions: [{ field: 'description', op: 'contains', value: 'uber' }],
      actions: { categoryId: 'transportation' },
    });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: string; enabled: boolean };
    expect(rule.enabled).toBe(true);
    const list = (await json(await h.call('GET', '/rules'))) as { items: { id: string }[] };
    expect(list.items).toHaveLength(2);
    const put = await h.call('PUT', `/rules/${rule.id}`, {
      name: 'Uber rides',
      enabled: false,
      conditions: [{ field: 'amount', op: 'gt', value: 5000 }],
      actions: { hidden: true },
    });
    expect(await put.json()).toMatchObject({ name: 'Uber rides', enabled: false, actions: { hidden: true } });
    const noAction = await h.call('POST', '/rules', {
      name: 'x',
      conditions: [{ field: 'description', op: 'contains', value: 'a' }],
      actions: {},
    });
    expect(noAction.status).toBe(400);
    expect((await h.call('DELETE', `/rules/${rule.id}`)).status).toBe(204);
    expect((await h.call('GET', `/rules/${rule.id}`)).status).toBe(404);
  });

  it('previews which transactions a rule would change, leaving user edits out', async () => {
    const h = await createHarness();
    const [coffee, safeway] = h.alice.transactionIds;
    const preview = await h.call('POST', `/rules/${h.alice.ruleId}/preview`);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toEqual({
      matched: 1,
      changed: 1,
      items: [
        expect.objectContaining({
          transactionId: coffee,
          amount: -450,
          changes: { categoryId: { from: 'shopping', to: 'food_and_dining' } },
        }),
      ],
    });
    await h.call('PATCH', `/transactions/${coffee!}`, { categoryId: 'travel' });
    expect(await (await h.call('POST', `/rules/${h.alice.ruleId}/preview`)).json()).toMatchObject({
      matched: 1,
      changed: 0,
      items: [],
    });
    const wide = (await (
      await h.call('POST', '/rules', {
        name: 'Big',
        conditions: [{ field: 'amount', op: 'gte', value: 1000 }],
        actions: { addTags: ['big'] },
      })
    ).json()) as { id: string };
    const listed = (await (await h.call('POST', `/rules/${wide.id}/preview?limit=1`)).json()) as {
      matched: number;
      items: { transactionId: string }[];
    };
    expect(listed.matched).toBe(3);
    expect(listed.items.map((i) => i.transactionId)).toEqual([safeway]);
    expect((await h.call('POST', `/rules/${wide.id}/preview?limit=0`)).status).toBe(400);
  });

  it('lists, creates, renames and deletes categories with reassignment', async () => {
    const h = await createHarness();
    const list = (await json(await h.call('GET', '/categories'))) as {
      items: { id: string; name: string }[];
    };
    expect(list.items.map((c) => c.id)).toContain('uncategorized');
    expect(list.items.map((c) => c.name)).not.toContain('Pets of bob');

    const created = (await json(await h.call('POST', '/categories', { name: 'Coffee' }))) as { id: string };
    expect((await h.call('POST', '/categories', { name: 'coffee' })).status).toBe(409);
    const renamed = await h.call('PATCH', `/categories/${created.id}`, { name: 'Cafés' });
    expect(await renamed.json()).toMatchObject({ id: created.id, name: 'Cafés' });
    expect((await h.call('PATCH', '/categories/shopping', { name: 'Mine' })).status).toBe(400);

    const tx = h.alice.transactionIds[0]!;
    await h.call('PATCH', `/transactions/${tx}`, { categoryId: created.id });
    const deleted = await h.call('DELETE', `/categories/${created.id}?reassignTo=food_and_dining`);
    expect(deleted.status).toBe(204);
    expect(await json(await h.call('GET', `/transactions/${tx}`))).toMatchObject({
      categoryId: 'food_and_dining',
    });
    expect(
      (await h.call('DELETE', `/categories/${h.alice.categoryId}?reassignTo=${h.alice.categoryId}`)).status,
    ).toBe(400);
  });

  it('maps provider failures, and never returns an access token', async () => {
    const h = await createHarness();
    const balance = await h.call('GET', `/accounts/${h.alice.accountId}/balance`);
    expect(balance.status).toBe(502);
    expect(await balance.json()).toMatchObject({ error: { code: 'PROVIDER' } });
    const got = await h.call('GET', `/accounts/${h.alice.accountId}`);
    const text = await got.text();
    expect(text).not.toContain('access-sandbox');
    expect(text).not.toContain('encryptedAccessToken');
  });

  it('accepts ?token= only on WebSocket upgrades, where browsers cannot send headers', async () => {
    const h = await createHarness();
    expect((await h.app.request(`/rules?token=${h.aliceToken}`)).status).toBe(401);
  });

  it('answers CORS preflights when configured', async () => {
    const h = await createHarness({ app: { cors: { origin: 'https://app.example' } } });
    const res = await h.app.request('/transactions', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('answers 404 JSON for unknown routes, 413 for big bodies, 400 for malformed JSON', async () => {
    const h = await createHarness({ app: { limits: { bodyBytes: 1000 } } });
    const unknown = await h.call('GET', '/nope');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const big = await h.call('POST', '/rules', { name: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const malformed = await h.app.request('/rules', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.aliceToken}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('hides internals of unexpected failures behind 500 INTERNAL', async () => {
    const h = await createHarness();
    h.store.rules.list = async () => {
      throw new Error('connection string postgres://admin:hunter2@db');
    };
    const res = await h.call('GET', '/rules');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error', details: {} } });
    expect(text).not.toContain('hunter2');
  });

  it('rate-limits per user with Retry-After', async () => {
    let now = 0;
    const h = await createHarness({
      app: { limits: { rateLimit: { max: 2, windowMs: 10_000, now: () => now } } },
    });
    expect((await h.call('GET', '/rules')).status).toBe(200);
    expect((await h.call('GET', '/rules')).status).toBe(200);
    const limited = await h.call('GET', '/rules');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect((await h.call('GET', '/rules', undefined, h.bobToken)).status).toBe(200);
    now = 10_000;
    expect((await h.call('GET', '/rules')).status).toBe(200);
  });

  it('serves the OpenAPI document and an offline docs page, under a base path too', async () => {
    const h = await createHarness({ app: { basePath: '/api' } });
    const doc = (await json(await h.app.request('/api/openapi.json'))) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/transactions/{id}', '/api/webhooks/plaid']),
    );
    expect((await h.call('GET', '/api/rules')).status).toBe(200);
    expect(await (await h.call('GET', '/api/nope')).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await h.call('GET', '/api/rules', undefined, null)).status).toBe(401);
    const invalid = await h.call('POST', '/api/goals', { name: 'x' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    expect((await h.call('GET', '/rules')).status).toBe(404);
    const docs = await h.app.request('/api/docs');
    const html = await docs.text();
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('/api/openapi.json');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('rejects webhooks whose signature does not verify', async () => {
    const h = await createHarness();
    const res = await h.app.request('/webhooks/plaid', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'plaid-verification': 'forged' },
      body: JSON.stringify({
        webhook_type: 'TRANSACTIONS',
        webhook_code: 'SYNC_UPDATES_AVAILABLE',
        item_id: 'item-alice',
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'WEBHOOK_VERIFICATION' } });
  });
});
