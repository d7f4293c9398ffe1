import { expect } from 'vitest';
import type { NotificationChannel } from '../schemas/notification.js';
import { type ContractHarness, expectFinkitError, uniqueId } from './store-contract-fixtures.js';

const t0 = new Date(Date.UTC(2024, 6, 1, 12));
const later = (ms: number) => new Date(t0.getTime() + ms);

export function describeDeliveriesContract(harness: ContractHarness): void {
  const { test } = harness;

  test('deliveries: claim inserts once; a live lease blocks, an expired one is re-claimed', async () => {
    const { deliveries } = harness.store;
    const userId = uniqueId('user');
    const lease = { now: t0, leaseMs: 60_000 };
    expect(await deliveries.claim(userId, 'k1', 'email', lease), 'first claim').toBe('claimed');
    expect(await deliveries.claim(userId, 'k1', 'email', lease), 'while leased').toBe('in_progress');
    expect(
      await deliveries.claim(userId, 'k1', 'email', { now: later(59_999), leaseMs: 60_000 }),
      'just before expiry',
    ).toBe('in_progress');
    expect(await deliveries.claim(userId, 'k1', 'sms', lease), 'channels are separate').toBe('claimed');
    expect(await deliveries.claim(uniqueId('user'), 'k1', 'email', lease), 'users are separate').toBe(
      'claimed',
    );
    expect(
      await deliveries.claim(userId, 'k1', 'email', { now: later(60_000), leaseMs: 60_000 }),
      'expired lease: the sender died, someone else retries',
    ).toBe('claimed');
    const [row] = await deliveries
      .list(userId, { status: 'pending' })
      .then((r) => r.filter((d) => d.channel === 'email'));
    expect(row, 'pending row').toMatchObject({
      dedupeKey: 'k1',
      channel: 'email',
      status: 'pending',
      attempts: 2,
    });
    expect(row?.leaseUntil?.getTime(), 'lease moved').toBe(later(120_000).getTime());
  });

  test('deliveries: concurrent claims give exactly one claimant', async () => {
    const { deliveries } = harness.store;
    const userId = uniqueId('user');
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 5].map(() => deliveries.claim(userId, 'race', 'webhook', { now: t0, leaseMs: 1000 })),
    );
    expect(
      outcomes.filter((o) => o === 'claimed'),
      'one claimed',
    ).toHaveLength(1);
    expect(
      outcomes.filter((o) => o === 'in_progress'),
      'the rest see it in progress',
    ).toHaveLength(4);
  });

  test('deliveries: markDelivered and permanent markFailed are final; a transient failure releases the lease', async () => {
    const { deliveries } = harness.store;
    const userId = uniqueId('user');
    const lease = { now: t0, leaseMs: 60_000 };
    await deliveries.claim(userId, 'done', 'push', lease);
    await deliveries.markDelivered(userId, 'done', 'push', later(10));
    await deliveries.markDelivered(userId, 'done', 'push', later(20));
    expect(await deliveries.claim(userId, 'done', 'push', { now: later(1e9), leaseMs: 1 }), 'delivered').toBe(
      'delivered',
    );
    await deliveries.markFailed(userId, 'done', 'push', { permanent: true, error: 'late', at: later(30) });
    expect(await deliveries.claim(userId, 'done', 'push', lease), 'delivered wins over a late failure').toBe(
      'delivered',
    );

    await deliveries.claim(userId, 'flaky', 'sms', lease);
    await deliveries.markFailed(userId, 'flaky', 'sms', { permanent: false, error: '503', at: later(5) });
    expect(await deliveries.claim(userId, 'flaky', 'sms', lease), 'released lease: claimable now').toBe(
      'claimed',
    );
    await deliveries.markFailed(userId, 'flaky', 'sms', {
      permanent: true,
      error: 'invalid number',
      at: later(6),
    });
    expect(await deliveries.claim(userId, 'flaky', 'sms', { now: later(1e9), leaseMs: 1 }), 'failed').toBe(
      'failed',
    );

    const failed = await deliveries.list(userId, { status: 'failed' });
    expect(failed, 'permanent failures are listed').toHaveLength(1);
    expect(failed[0], 'with the error').toMatchObject({
      dedupeKey: 'flaky',
      channel: 'sms',
      status: 'failed',
      attempts: 2,
      lastError: 'invalid number',
      leaseUntil: null,
    });
    const delivered = await deliveries.list(userId, { status: 'delivered' });
    expect(
      delivered.map((d) => d.dedupeKey),
      'delivered',
    ).toEqual(['done']);
    expect(delivered[0]?.deliveredAt?.getTime(), 'first delivery time kept').toBe(later(10).getTime());
    expect(await deliveries.list(userId), 'all').toHaveLength(2);
    expect(await deliveries.list(uniqueId('user')), 'another user sees none').toEqual([]);
  });

  test('deliveries: list is newest first with a limit; marking an unclaimed delivery throws NOT_FOUND', async () => {
    const { deliveries } = harness.store;
    const userId = uniqueId('user');
    for (const key of ['a', 'b', 'c']) await deliveries.claim(userId, key, 'in_app', { now: t0, leaseMs: 1 });
    expect(
      (await deliveries.list(userId)).map((d) => d.dedupeKey),
      'newest first',
    ).toEqual(['c', 'b', 'a']);
    expect(
      (await deliveries.list(userId, { limit: 2 })).map((d) => d.dedupeKey),
      'limit',
    ).toEqual(['c', 'b']);
    await expectFinkitError(
      () => deliveries.markDelivered(userId, 'never', 'email', t0),
      'NOT_FOUND',
      'markDelivered unclaimed',
    );
    await expectFinkitError(
      () => deliveries.markFailed(uniqueId('user'), 'a', 'in_app', { permanent: true, error: 'x', at: t0 }),
      'NOT_FOUND',
      "markFailed of another user's delivery",
    );
  });

  // claimDue spans every user, and this suite shares one store: each test below leaves its rows
  // final (no payload), so it never hands another test's rows out.
  const mine = async (
    userId: string,
    now: Date,
    leaseMs: number,
    limit = 100,
    channels?: readonly NotificationChannel[],
  ) =>
    (
      await harness.store.deliveries.claimDue({ now, leaseMs, limit, ...(channels ? { channels } : {}) })
    ).filter((d) => d.userId === userId);

  test('deliveries: a hold waits for its release time; claimDue releases it once, with its payload', async () => {
    const { deliveries } = harness.store;
    const userId = uniqueId('user');
    const until = later(3_600_000);
    const payload = JSON.stringify({ title: 'Quiet', n: 1 });
    expect(await deliveries.hold(userId, 'quiet', 'email', { now: t0, until, payload }), 'held').toBe(
      'claimed',
    );
    expect(await deliveries.hold(userId, 'quiet', 'email', { now: t0, until, payload }), 'held twice').toBe(
      'in_progress',
    );
    expect(
      await deliveries.claim(userId, 'quiet', 'email', { now: later(7_200_000), leaseMs: 1000 }),
      'a held row leaves only through claimDue',
    ).toBe('in_progress');
    const [held] = await deliveries.list(userId, { status: 'held' });
    expect(held, 'listed as held').toMatchObject({
      dedupeKey: 'quiet',
      status: 'held',
      attempts: 1,
      payload,
    });
    expect(held?.leaseUntil?.getTime(), 'held until its release time').toBe(until.getTime());

    expect(await mine(userId, later(3_599_999), 60_000), 'not before its time').toEqual([]);
    const released = await mine(userId, until, 60_000);
    expect(released, 'released once its time came').toMatchObject([
      { dedupeKey: 'quiet', channel: 'email', status: 'pending', attempts: 1, payload },
    ]);
    expect(released[0]?.leaseUntil?.getTime(), 'leased to the releasing sender').toBe(
      later(3_660_000).getTime(),
    );
    expect(await mine(userId, until, 60_000), 'not twice').toEqual([]);
    expect(await deliveries.list(userId, { status: 'held' }), 'no longer held').toEqual([]);

    await deliveries.markDelivered(userId, 'quiet', 'email', later(3_600_100));
    const [done] = await deliveries.list(userId);
    expect(done, 'delivered drops the payload').toMatchObject({ status: 'delivered', payload: null });
    expect(await deliveries.hold(userId, 'quiet', 'email', { now: t0, until, payload }), 'final').toBe(
      'delivered',
    );
    expect(await mine(userId, later(1e10), 1), 'a delivered row is never due').toEqual([]);

    // A pending row is held only once its lease is over (its sender died), like a claim.
    await deliveries.claim(userId, 'orphan', 'push', { now: t0, leaseMs: 1000 });
    expect(
      await deliveries.hold(userId, 'orphan', 'push', { now: later(999), until, payload }),
      'live lease',
    ).toBe('in_progress');
    expect(
      await deliveries.hold(userId, 'orphan', 'push', { now: later(1000), until, payload }),
      'expired lease',
    ).toBe('claimed');
    expect(
      (await deliveries.list(userId, { status: 'held' })).map((d) => [d.dedupeKey, d.attempts, d.payload]),
      'held now, with the new payload and an attempt counted',
    ).toEqual([['orphan', 2, payload]]);
    await deliveries.markFailed(userId, 'orphan', 'push', {
      permanent: true,
      error: 'done',
      at: later(2000),
    });
    expect(await mine(userId, later(1e10), 1), 'a failed row is never due').toEqual([]);
  });

  test('deliveries: claimDue resumes what a dead or closed sender left, earliest due first, each row once', async () => {
    const { deliveries } = harness.store;
    const userId = uniqueId('user');
    await deliveries.claim(userId, 'dead', 'webhook', { now: t0, leaseMs: 1000, payload: 'p-dead' });
    await deliveries.claim(userId, 'no-payload', 'webhook', { now: t0, leaseMs: 1000 });
    await deliveries.claim(userId, 'closed', 'webhook', { now: t0, leaseMs: 1000, payload: 'p-closed' });
    await deliveries.markFailed(userId, 'closed', 'webhook', { permanent: false, error: 'closed', at: t0 });
    await deliveries.claim(userId, 'rejected', 'webhook', { now: t0, leaseMs: 1000, payload: 'p-rejected' });
    await deliveries.markFailed(userId, 'rejected', 'webhook', { permanent: true, error: '400', at: t0 });
    await deliveries.claim(userId, 'live', 'webhook', { now: t0, leaseMs: 1e9, payload: 'p-live' });
    await deliveries.hold(userId, 'digest', 'email', { now: t0, until: later(500), payload: 'p-digest' });

    const firstTwo = [...(await mine(userId, later(999), 10, 1)), ...(await mine(userId, later(999), 10, 1))];
    expect(
      firstTwo.map((d) => [d.dedupeKey, d.payload]),
      'a released lease first, then the earliest release; one per call with limit 1',
    ).toEqual([
      ['closed', 'p-closed'],
      ['digest', 'p-digest'],
    ]);
    expect(await mine(userId, later(999), 10), 'the dead lease has not expired yet').toEqual([]);
    const resumed = await mine(userId, later(1000), 60_000);
    expect(resumed, 'the expired lease, with an attempt counted').toMatchObject([
      { dedupeKey: 'dead', status: 'pending', attempts: 2, payload: 'p-dead' },
    ]);

    // Racing senders once every lease above has run out: each row goes to exactly one of them.
    const raced = await Promise.all([1, 2, 3, 4].map(() => mine(userId, later(1e8), 60_000)));
    const keys = raced.flat().map((d) => d.dedupeKey);
    expect(keys.sort(), 'each due row once, rows without payload or final never').toEqual([
      'closed',
      'dead',
      'digest',
    ]);
    const rejected = (await deliveries.list(userId, { status: 'failed' }))[0];
    expect(rejected, 'a permanent failure drops the payload').toMatchObject({
      dedupeKey: 'rejected',
      payload: null,
    });

    for (const key of ['dead', 'closed', 'live'])
      await deliveries.markDelivered(userId, key, 'webhook', later(2));
    await deliveries.markFailed(userId, 'digest', 'email', { permanent: true, error: 'gone', at: later(3) });
    expect(await mine(userId, later(1e10), 1), 'nothing of this user is left to resume').toEqual([]);
  });

  test('deliveries: claimDue with channels takes only those, leaving the rest for a sender that has them', async () => {
    const { deliveries } = harness.store;
    const userId = uniqueId('user');
    // The SMS row is due first, so a filter applied after the limit would hand it out or return nothing.
    await deliveries.hold(userId, 'a', 'sms', { now: t0, until: later(100), payload: 'p-sms' });
    await deliveries.hold(userId, 'a', 'email', { now: t0, until: later(200), payload: 'p-email' });
    await deliveries.claim(userId, 'b', 'push', { now: t0, leaseMs: 300, payload: 'p-push' });
    await deliveries.claim(userId, 'b', 'webhook', { now: t0, leaseMs: 400, payload: 'p-webhook' });
    const at = later(1000);

    expect(await mine(userId, at, 60_000, 100, []), 'an empty list claims nothing').toEqual([]);
    const emailSender = await mine(userId, at, 60_000, 1, ['email', 'webhook']);
    expect(
      emailSender.map((d) => [d.dedupeKey, d.channel, d.payload]),
      'its own earliest row, past the SMS row due before it',
    ).toEqual([['a', 'email', 'p-email']]);
    expect(
      (await deliveries.list(userId, { status: 'held' })).map((d) => d.channel),
      'the SMS hold is left held, not leased by a sender that cannot send it',
    ).toEqual(['sms']);
    const smsSender = await mine(userId, at, 60_000, 100, ['sms', 'push']);
    expect(
      smsSender.map((d) => [d.dedupeKey, d.channel, d.status]),
      'the other sender gets its channels only, earliest due first',
    ).toEqual([
      ['a', 'sms', 'pending'],
      ['b', 'push', 'pending'],
    ]);
    expect(
      (await mine(userId, at, 60_000, 100, ['email', 'webhook'])).map((d) => d.channel),
      'the rest of the first sender’s rows',
    ).toEqual(['webhook']);

    for (const [key, channel] of [
      ['a', 'sms'],
      ['a', 'email'],
      ['b', 'push'],
      ['b', 'webhook'],
    ] as const)
      await deliveries.markDelivered(userId, key, channel, later(2000));
    expect(await mine(userId, later(1e10), 100), 'nothing of this user is left to resume').toEqual([]);
  });
}
