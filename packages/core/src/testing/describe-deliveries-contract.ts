import { expect } from 'vitest';
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
}
