import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Seeded, secret } from './app-fixture.js';
import { concretePath, documentedRoutes, validBody } from './route-list.js';

/** Strings of alice's that must never reach anyone else. */
function secretsOf(seeded: Seeded): string[] {
  return [
    seeded.accountId,
    seeded.connectionId,
    ...seeded.transactionIds,
    seeded.budgetId,
    seeded.goalId,
    seeded.ruleId,
    seeded.notificationId,
    'Pets of alice',
    'Groceries of alice',
    'access-sandbox',
  ];
}

async function request(
  h: Harness,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined && method !== 'GET' && method !== 'DELETE') {
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return h.app.request(path, init);
}

describe('authorization matrix over every documented route', async () => {
  const h = await createHarness();
  const routes = documentedRoutes(h.app);
  const badTokens: Record<string, string> = {
    garbage: 'Bearer not-a-jwt',
    'wrong key': `Bearer ${await sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 60 }, 'another-secret-entirely-000000')}`,
    expired: `Bearer ${await sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 60 }, secret)}`,
    'no subject': `Bearer ${await sign({ exp: Math.floor(Date.now() / 1000) + 60 }, secret)}`,
    'alg none': `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.`,
    'basic scheme': `Basic ${Buffer.from('alice:pw').toString('base64')}`,
  };

  it('documents the routes it serves', () => {
    expect(routes.length).toBeGreaterThanOrEqual(35);
    expect(routes.filter((r) => !r.authenticated).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /webhooks/plaid',
    ]);
  });

  for (const route of documentedRoutes(h.app).filter((r) => r.authenticated)) {
    const name = `${route.method} ${route.path}`;
    it(`${name}: 401 without a token and with bad ones, never data`, async () => {
      const path = concretePath(route.path, h.alice);
      const body = validBody(route.method, route.path, h.alice);
      const variants: Record<string, Record<string, string>> = { 'no token': {} };
      for (const [label, value] of Object.entries(badTokens)) variants[label] = { authorization: value };
      for (const [label, headers] of Object.entries(variants)) {
        const res = await request(h, route.method, path, body, headers);
        const text = await res.text();
        expect(res.status, `${name} with ${label}`).toBe(401);
        expect(JSON.parse(text)).toEqual({
          error: { code: 'UNAUTHORIZED', message: 'Authentication required', details: {} },
        });
      }
    });

    it(`${name}: another user's resource is not found, and nothing of alice's leaks`, async () => {
      const path = concretePath(route.path, h.alice);
      const body = validBody(route.method, route.path, h.alice);
      const res = await request(h, route.method, path, body, { authorization: `Bearer ${h.bobToken}` });
      const text = await res.text();
      const targetsAlice =
        route.path.includes('{id}') ||
        name === 'POST /transactions/bulk-categorize' ||
        name === 'POST /accounts/link-token';
      if (targetsAlice) expect(res.status, name).toBe(404);
      else expect(res.status, name).not.toBe(500);
      // A 404 may echo an id the caller sent; nothing else of alice's may appear.
      const sent = `${decodeURIComponent(path)} ${JSON.stringify(body ?? null)}`;
      for (const secretValue of secretsOf(h.alice)) {
        if (sent.includes(secretValue)) continue;
        expect(text, `${name} leaks ${secretValue}`).not.toContain(secretValue);
      }
    });
  }

  it("leaves alice's data intact after bob's attempts", async () => {
    for (const path of [
      `/accounts/${h.alice.accountId}`,
      `/budgets/${h.alice.budgetId}`,
      `/goals/${h.alice.goalId}`,
      `/rules/${h.alice.ruleId}`,
    ]) {
      expect((await h.call('GET', path)).status, path).toBe(200);
    }
    const tx = (await (await h.call('GET', `/transactions/${h.alice.transactionIds[0]!}`)).json()) as {
      notes: string | null;
      categoryId: string;
    };
    expect(tx.notes).toBeNull();
    expect(tx.categoryId).toBe('shopping');
    const categories = (await (await h.call('GET', '/categories')).json()) as { items: { name: string }[] };
    expect(categories.items.map((c) => c.name)).toContain('Pets of alice');
  });
});
