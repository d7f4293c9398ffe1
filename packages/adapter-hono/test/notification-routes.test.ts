import { describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './app-fixture.js';

interface NotificationBody {
  id: string;
  userId: string;
  title: string;
  readAt: string | null;
  createdAt: string;
}

async function listOf(h: Harness, query = '', token?: string): Promise<NotificationBody[]> {
  const res = await h.call('GET', `/notifications${query}`, undefined, token);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { items: NotificationBody[] }).items;
}

/** Adds `count` more notifications for alice, oldest first; returns their titles. */
async function addNotifications(h: Harness, count: number): Promise<string[]> {
  const titles: string[] = [];
  for (let i = 0; i < count; i++) {
    const title = `Extra ${i}`;
    await h.store.notifications.create('alice', {
      type: 'goal.milestone_reached',
      dedupeKey: `extra:${i}`,
      title,
      body: '',
      data: { i },
    });
    titles.push(title);
  }
  return titles;
}

describe('notifications REST', () => {
  it('hands browsers the configured VAPID public key, and says 501 when web push is not set up', async () => {
    const publicKey =
      'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';
    const configured = await createHarness({ app: { webPush: { publicKey } } });
    const answer = await configured.call('GET', '/notifications/push-subscriptions/public-key');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ publicKey });
    expect(
      (await configured.call('GET', '/notifications/push-subscriptions/public-key', undefined, null)).status,
    ).toBe(401);
    const plain = await createHarness();
    const missing = await plain.call('GET', '/notifications/push-subscriptions/public-key');
    expect(missing.status).toBe(501);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('CAPABILITY_UNAVAILABLE');
  });

  it('lists only the acting user’s notifications, newest first, with unreadOnly and limit', async () => {
    const h = await createHarness();
    const extra = await addNotifications(h, 3);
    const all = await listOf(h);
    expect(all.map((n) => n.title)).toEqual([...extra].reverse().concat('Groceries of alice at 80%'));
    expect(new Set(all.map((n) => n.userId))).toEqual(new Set(['alice']));
    expect((await listOf(h, '?limit=2')).map((n) => n.title)).toEqual([extra[2], extra[1]]);
    expect((await listOf(h, '', h.bobToken)).map((n) => n.id)).toEqual([h.bob.notificationId]);

    await h.call('POST', `/notifications/${all[1]!.id}/read`);
    const unread = await listOf(h, '?unreadOnly=true');
    expect(unread.map((n) => n.id)).toEqual(all.filter((_, i) => i !== 1).map((n) => n.id));
    expect(await listOf(h, '?unreadOnly=false')).toHaveLength(all.length);
  });

  it('marks one read once: the first read time stays', async () => {
    const h = await createHarness();
    const path = `/notifications/${h.alice.notificationId}/read`;
    const first = await h.call('POST', path);
    expect(first.status).toBe(200);
    const read = (await first.json()) as NotificationBody;
    expect(read.id).toBe(h.alice.notificationId);
    expect(read.readAt).not.toBeNull();
    expect(Number.isNaN(Date.parse(read.readAt!))).toBe(false);
    const again = (await (await h.call('POST', path)).json()) as NotificationBody;
    expect(again.readAt).toBe(read.readAt);
    expect((await listOf(h, '?unreadOnly=true')).map((n) => n.id)).not.toContain(h.alice.notificationId);
  });

  it('another user’s notification is not found and stays unread', async () => {
    const h = await createHarness();
    const res = await h.call('POST', `/notifications/${h.alice.notificationId}/read`, undefined, h.bobToken);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const [mine] = await listOf(h);
    expect(mine).toMatchObject({ id: h.alice.notificationId, readAt: null });
    expect((await h.call('POST', '/notifications/no-such-id/read')).status).toBe(404);
  });

  it('rejects a limit outside 1..500 and a malformed unreadOnly with VALIDATION naming the parameter', async () => {
    const h = await createHarness();
    for (const query of ['?limit=0', '?limit=501', '?limit=-1', '?limit=abc', '?unreadOnly=yes']) {
      const res = await h.call('GET', `/notifications${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, query).toBe('VALIDATION');
      expect(body.error.message, query).toMatch(query.includes('limit') ? /limit/ : /unreadOnly/);
    }
    expect(await listOf(h, '?limit=500')).toHaveLength(1);
  });

  it('documents every notifications route in /openapi.json behind bearer auth, with its schemas', async () => {
    const h = await createHarness();
    type Operation = {
      security?: unknown[];
      parameters?: { name: string }[];
      requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
    };
    const doc = (await (await h.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/notifications'))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => ({ name: `${method} ${path}`, op })),
      );
    expect(operations.map((o) => o.name).sort()).toEqual([
      'delete /notifications/push-subscriptions',
      'get /notifications',
      'get /notifications/preferences',
      'get /notifications/push-subscriptions/public-key',
      'post /notifications/push-subscriptions',
      'post /notifications/{id}/read',
      'put /notifications/preferences',
    ]);
    for (const { name, op } of operations) expect(op.security, name).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/notifications']?.get?.parameters?.map((p) => p.name).sort()).toEqual([
      'limit',
      'unreadOnly',
    ]);
    const bodyOf = (path: string, method: string) =>
      Object.keys(
        doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema.properties ?? {},
      ).sort();
    expect(bodyOf('/notifications/push-subscriptions', 'post')).toEqual([
      'endpoint',
      'expirationTime',
      'keys',
    ]);
    expect(bodyOf('/notifications/preferences', 'put')).toEqual([
      'channels',
      'currency',
      'digest',
      'email',
      'largeTransactionThreshold',
      'locale',
      'phone',
      'quietHours',
      'timeZone',
      'unsubscribed',
      'version',
    ]);
  });
});

describe('push subscriptions REST', () => {
  const p256dh = `B${'x'.repeat(86)}`;
  const subscription = (name: string, auth = 'a'.repeat(22)) => ({
    endpoint: `https://fcm.googleapis.com/fcm/send/${name}`,
    expirationTime: null,
    keys: { p256dh, auth },
  });

  it('stores PushSubscription.toJSON() in the store, replaces by endpoint, and deletes by body or query', async () => {
    const h = await createHarness();
    const created = await h.call('POST', '/notifications/push-subscriptions', subscription('one'));
    expect(created.status, await created.clone().text()).toBe(201);
    expect(await created.json()).toEqual({
      endpoint: subscription('one').endpoint,
      keys: { p256dh, auth: 'a'.repeat(22) },
    });
    await h.call('POST', '/notifications/push-subscriptions', subscription('two'));
    await h.call('POST', '/notifications/push-subscriptions', subscription('one', 'b'.repeat(22)));
    expect(await h.store.pushSubscriptions.list('alice')).toEqual([
      { endpoint: subscription('one').endpoint, keys: { p256dh, auth: 'b'.repeat(22) } },
      { endpoint: subscription('two').endpoint, keys: { p256dh, auth: 'a'.repeat(22) } },
    ]);
    expect(await h.store.pushSubscriptions.list('bob')).toEqual([]);

    const byBody = await h.call('DELETE', '/notifications/push-subscriptions', {
      endpoint: subscription('one').endpoint,
    });
    expect(byBody.status).toBe(204);
    const byQuery = await h.call(
      'DELETE',
      `/notifications/push-subscriptions?endpoint=${encodeURIComponent(subscription('two').endpoint)}`,
    );
    expect(byQuery.status).toBe(204);
    expect(await h.store.pushSubscriptions.list('alice')).toEqual([]);
    const again = await h.call('DELETE', '/notifications/push-subscriptions', {
      endpoint: subscription('one').endpoint,
    });
    expect(again.status).toBe(404);
  });

  it('another user cannot remove a subscription', async () => {
    const h = await createHarness();
    await h.call('POST', '/notifications/push-subscriptions', subscription('alices'));
    const res = await h.call(
      'DELETE',
      '/notifications/push-subscriptions',
      { endpoint: subscription('alices').endpoint },
      h.bobToken,
    );
    expect(res.status).toBe(404);
    expect(await h.store.pushSubscriptions.list('alice')).toHaveLength(1);
  });

  it('rejects bad subscriptions with VALIDATION naming the field, storing nothing', async () => {
    const h = await createHarness();
    const good = subscription('good');
    const cases: [unknown, string][] = [
      [{ ...good, endpoint: 'http://fcm.googleapis.com/x' }, 'endpoint'],
      [{ ...good, endpoint: 'https://127.0.0.1/x' }, 'endpoint'],
      [{ ...good, endpoint: 'https://localhost:8443/x' }, 'endpoint'],
      [{ ...good, endpoint: 'https://[::1]/x' }, 'endpoint'],
      [{ ...good, endpoint: 'not a url' }, 'endpoint'],
      [{ ...good, keys: { ...good.keys, p256dh: 'short' } }, 'keys.p256dh'],
      [{ ...good, keys: { ...good.keys, auth: 'a'.repeat(21) } }, 'keys.auth'],
      [{ endpoint: good.endpoint }, 'keys'],
      [{ ...good, extra: true }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('POST', '/notifications/push-subscriptions', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (
        (await res.json()) as { error: { code: string; details: { issues: { path: string }[] } } }
      ).error;
      expect(error.code).toBe('VALIDATION');
      if (field) expect(error.details.issues.map((i) => i.path)).toContain(field);
    }
    const noEndpoint = await h.call('DELETE', '/notifications/push-subscriptions');
    expect(noEndpoint.status).toBe(400);
    expect(await h.store.pushSubscriptions.list('alice')).toEqual([]);
  });
});

describe('notification preferences REST', () => {
  interface Preferences {
    email: string | null;
    timeZone: string;
    locale: string;
    channels: Record<string, string[]>;
    quietHours: { start: string; end: string } | null;
    largeTransactionThreshold: number | null;
    version: number;
  }
  const get = async (h: Harness, token?: string) =>
    (await (await h.call('GET', '/notifications/preferences', undefined, token)).json()) as Preferences;

  it('starts at the defaults, merges partial updates field by field, per user', async () => {
    const h = await createHarness();
    const initial = await get(h);
    expect(initial).toMatchObject({ email: null, timeZone: 'UTC', quietHours: null, version: 0 });
    expect(initial.channels).toEqual({ '*': ['in_app', 'email', 'push', 'webhook'] });

    const first = await h.call('PUT', '/notifications/preferences', {
      email: 'alice@example.com',
      quietHours: { start: '22:00', end: '07:00' },
    });
    expect(first.status, await first.clone().text()).toBe(200);
    const second = (await (
      await h.call('PUT', '/notifications/preferences', {
        timeZone: 'Europe/Paris',
        channels: { 'budget.threshold_crossed': ['email'] },
      })
    ).json()) as Preferences;
    const expected = {
      ...initial,
      email: 'alice@example.com',
      quietHours: { start: '22:00', end: '07:00' },
      timeZone: 'Europe/Paris',
      channels: { 'budget.threshold_crossed': ['email'] },
      version: 2,
    };
    expect(second).toEqual(expected);
    expect(await get(h)).toEqual(expected);
    expect(
      JSON.parse((await h.store.notificationPreferences.get('alice'))!.json),
      'only the user’s own choices stored',
    ).toEqual({
      email: 'alice@example.com',
      quietHours: { start: '22:00', end: '07:00' },
      timeZone: 'Europe/Paris',
      channels: { 'budget.threshold_crossed': ['email'] },
    });
    expect(await get(h, h.bobToken), 'bob is untouched').toEqual(initial);

    const cleared = (await (
      await h.call('PUT', '/notifications/preferences', { quietHours: null })
    ).json()) as Preferences;
    expect(cleared).toEqual({ ...expected, quietHours: null, version: 3 });
  });

  it('with the version read, a stale update is 409 CONFLICT and changes nothing', async () => {
    const h = await createHarness();
    const read = await get(h);
    // Two tabs read version 0; the first to save wins, the second is told to read again.
    const first = await h.call('PUT', '/notifications/preferences', { ...read, email: 'tab1@example.com' });
    expect(first.status, await first.clone().text()).toBe(200);
    expect(((await first.json()) as Preferences).version).toBe(1);
    const stale = await h.call('PUT', '/notifications/preferences', {
      version: read.version,
      timeZone: 'Asia/Tokyo',
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: unknown }).error).toMatchObject({
      code: 'CONFLICT',
      details: { version: 1 },
    });
    expect(await get(h), 'the stale update wrote nothing').toMatchObject({
      email: 'tab1@example.com',
      timeZone: 'UTC',
      version: 1,
    });
    const fresh = await h.call('PUT', '/notifications/preferences', { version: 1, timeZone: 'Asia/Tokyo' });
    expect(await fresh.json()).toMatchObject({
      email: 'tab1@example.com',
      timeZone: 'Asia/Tokyo',
      version: 2,
    });
    const bad = await h.call('PUT', '/notifications/preferences', { version: -1 });
    expect(bad.status, 'a version is a non-negative integer').toBe(400);
  });

  it('rejects bad values with VALIDATION naming the field and changes nothing', async () => {
    const h = await createHarness();
    await h.call('PUT', '/notifications/preferences', { email: 'alice@example.com' });
    const before = await get(h);
    const cases: [unknown, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ quietHours: { start: '25:00', end: '07:00' } }, 'quietHours.start'],
      [{ digest: { types: ['x'], at: '7am' } }, 'digest.at'],
      [{ channels: { '*': ['carrier_pigeon'] } }, 'channels.*.0'],
      [{ phone: '555-1234' }, 'phone'],
      [{ largeTransactionThreshold: -5 }, 'largeTransactionThreshold'],
      [{ currency: 'XYZ1' }, 'currency'],
      [{ locale: 'not a locale!' }, 'locale'],
      [{ admin: true }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('PUT', '/notifications/preferences', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (
        (await res.json()) as {
          error: { code: string; message: string; details: { issues: { path: string }[] } };
        }
      ).error;
      expect(error.code).toBe('VALIDATION');
      if (field) {
        expect(
          error.details.issues.map((i) => i.path),
          JSON.stringify(body),
        ).toContain(field);
        expect(error.message).toContain(field);
      }
    }
    expect(await get(h)).toEqual(before);
  });

  it('shows the app’s defaults from createFinkit({ notificationDefaults })', async () => {
    const { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } = await import(
      '@finkit/core'
    );
    const { createFinkitApp } = await import('../src/create-finkit-app.js');
    const { bearerJwtAuthenticate } = await import('../src/bearer-jwt-authenticate.js');
    const { secret, tokenFor, unreachableProvider } = await import('./app-fixture.js');
    const finkit = createFinkit({
      store: createMemoryStore(),
      provider: unreachableProvider,
      cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
      notificationDefaults: { locale: 'de-DE', currency: 'EUR', timeZone: 'Europe/Berlin' },
    });
    const app = createFinkitApp(finkit, { authenticate: bearerJwtAuthenticate({ secret }) });
    const res = await app.request('/notifications/preferences', {
      headers: { authorization: `Bearer ${await tokenFor('carol')}` },
    });
    expect(await res.json()).toMatchObject({ locale: 'de-DE', currency: 'EUR', timeZone: 'Europe/Berlin' });
    expect(() =>
      createFinkit({
        store: createMemoryStore(),
        provider: unreachableProvider,
        cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
        notificationDefaults: { timeZone: 'Nowhere/Land' },
      }),
    ).toThrow(/timeZone/);
  });
});
