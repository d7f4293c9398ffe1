import { createMemoryStore, FinkitError } from '@finkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookChannel } from '../src/channels/create-webhook-channel.js';
import { createNotifier } from '../src/create-notifier.js';
import { createStorePreferences } from '../src/preferences/create-store-preferences.js';
import { defaultUserPreferences } from '../src/preferences/notification-preferences.js';
import { json, startHttpServer } from './http-test-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const note = (dedupeKey: string) => ({
  userId: 'u1',
  type: 'budget.threshold_crossed',
  dedupeKey,
  title: 'Groceries: 80% used',
  body: 'You have spent $400.00 of $500.00.',
  data: { budgetId: 'b1' },
});

describe('createStorePreferences', () => {
  it('reads each user’s own choices from the store over the defaults, across instances', async () => {
    const store = createMemoryStore();
    const defaults = {
      channels: { '*': ['in_app', 'webhook'] as ('in_app' | 'webhook')[] },
      currency: 'EUR',
    };
    const preferences = createStorePreferences(store, { defaults });
    expect(await preferences.get('u1')).toEqual({ ...defaultUserPreferences, ...defaults });

    const updated = await preferences.update('u1', { email: 'u1@example.com', timeZone: 'Asia/Tokyo' });
    expect(updated).toEqual({
      ...defaultUserPreferences,
      ...defaults,
      email: 'u1@example.com',
      timeZone: 'Asia/Tokyo',
      version: 1,
    });
    const restarted = createStorePreferences(store, { defaults: { ...defaults, currency: 'GBP' } });
    const { version: _, ...choices } = updated;
    expect(
      await restarted.get('u1'),
      'a later process sees the choices; new defaults reach the rest',
    ).toEqual({
      ...choices,
      currency: 'GBP',
    });
    await expect(
      restarted.update('u1', { version: 0, currency: 'JPY' }),
      'an update naming a stale version',
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await restarted.get('u2')).toEqual({ ...defaultUserPreferences, ...defaults, currency: 'GBP' });
  });

  it('rejects a bad update with VALIDATION naming the field, storing nothing; rejects bad defaults at once', async () => {
    const store = createMemoryStore();
    const preferences = createStorePreferences(store);
    const error = await preferences
      .update('u1', { quietHours: { start: '22:00', end: '24:30' as `${number}:${number}` } })
      .catch((e: unknown) => e);
    expect(FinkitError.hasCode(error, 'VALIDATION')).toBe(true);
    expect((error as FinkitError).message).toContain('quietHours.end');
    expect(await store.notificationPreferences.get('u1')).toBeNull();
    let badDefaults: unknown;
    try {
      createStorePreferences(store, { defaults: { timeZone: 'Atlantis/Capital' } });
    } catch (e) {
      badDefaults = e;
    }
    expect(FinkitError.hasCode(badDefaults, 'VALIDATION')).toBe(true);
    expect((badDefaults as FinkitError).message).toMatch(/timeZone/);
  });

  it('the notifier follows preferences changed in the store: a channel turned off gets nothing', async () => {
    const received: unknown[] = [];
    const receiver = await startHttpServer((request, response) => {
      received.push(request.body.toString('utf8'));
      json(response, 200, { ok: true });
    });
    cleanups.push(receiver.close);
    const store = createMemoryStore();
    const preferences = createStorePreferences(store, {
      defaults: { channels: { '*': ['in_app', 'webhook'] } },
    });
    const notifier = createNotifier({
      store,
      channels: { webhook: createWebhookChannel({ url: receiver.url, secret: 'whsec_prefs' }) },
      preferences,
      holdCheckMs: 0,
      onError: () => {},
    });
    cleanups.push(() => notifier.close());

    expect((await notifier.send(note('k1'))).channels).toEqual(['in_app', 'webhook']);
    await notifier.idle();
    expect(received).toHaveLength(1);

    // Written the way the REST API writes it: through the store, by another instance.
    await createStorePreferences(store).update('u1', { channels: { '*': ['in_app'] } });
    expect((await notifier.send(note('k2'))).channels).toEqual(['in_app']);
    await createStorePreferences(store).update('u1', { unsubscribed: ['budget.threshold_crossed'] });
    expect((await notifier.send(note('k3'))).channels).toEqual([]);
    await notifier.idle();
    expect(received, 'no more webhooks').toHaveLength(1);
    expect((await store.notifications.list('u1')).map((n) => n.dedupeKey)).toEqual(['k2', 'k1']);
  });
});
