import { notFound } from '../errors/finkit-error.js';
import type { Clock } from '../ports/clock.js';
import type { Delivery, DeliveryClaim, DeliveryRepository } from '../ports/store.js';
import type { NotificationChannel } from '../schemas/notification.js';
import { copyOut } from './memory-context.js';

export const deliveryKey = (userId: string, dedupeKey: string, channel: NotificationChannel): string =>
  `${userId}\u0000${dedupeKey}\u0000${channel}`;

/** Released leases (null) come first, then the earliest lease or release time. */
const dueOrder = (a: Delivery, b: Delivery): number =>
  (a.leaseUntil?.getTime() ?? Number.NEGATIVE_INFINITY) -
    (b.leaseUntil?.getTime() ?? Number.NEGATIVE_INFINITY) ||
  (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0) ||
  (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0) ||
  (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0);

/**
 * The delivery log in memory. It keeps its own map rather than a collection of the store's
 * snapshot state: no other write spans it, and copying a log of every notification ever sent on
 * each claim made sending quadratic. Each method mutates synchronously, so claims never interleave.
 */
export function createMemoryDeliveries(clock: Clock): DeliveryRepository {
  const deliveries = new Map<string, Delivery>();
  // Keys of rows `claimDue` may take (held or pending, with a payload): final rows far outnumber
  // them, and a background sender asks every minute.
  const resumable = new Set<string>();
  const put = (key: string, row: Delivery): void => {
    deliveries.set(key, row);
    if (row.payload !== null && (row.status === 'held' || row.status === 'pending')) resumable.add(key);
    else resumable.delete(key);
  };
  const update = (
    userId: string,
    dedupeKey: string,
    channel: NotificationChannel,
    change: (row: Delivery) => Delivery,
  ): void => {
    const key = deliveryKey(userId, dedupeKey, channel);
    const row = deliveries.get(key);
    if (row === undefined) throw notFound('Delivery', `${dedupeKey}/${channel}`);
    put(key, change(row));
  };
  const take = (
    userId: string,
    dedupeKey: string,
    channel: NotificationChannel,
    now: Date,
    next: { status: 'held' | 'pending'; leaseUntil: Date; payload: string | undefined },
  ): DeliveryClaim => {
    const stamp = clock.now();
    const key = deliveryKey(userId, dedupeKey, channel);
    const row = deliveries.get(key);
    if (row === undefined) {
      put(key, {
        userId,
        dedupeKey,
        channel,
        status: next.status,
        attempts: 1,
        leaseUntil: next.leaseUntil,
        payload: next.payload ?? null,
        lastError: null,
        createdAt: stamp,
        updatedAt: stamp,
        deliveredAt: null,
      });
      return 'claimed';
    }
    if (row.status === 'delivered') return 'delivered';
    if (row.status === 'failed') return 'failed';
    if (row.status === 'held') return 'in_progress';
    if (row.leaseUntil !== null && row.leaseUntil.getTime() > now.getTime()) return 'in_progress';
    put(key, {
      ...row,
      status: next.status,
      attempts: row.attempts + 1,
      leaseUntil: next.leaseUntil,
      payload: next.payload ?? row.payload,
      updatedAt: stamp,
    });
    return 'claimed';
  };
  return {
    async claim(userId, dedupeKey, channel, { now, leaseMs, payload }) {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      return take(userId, dedupeKey, channel, now, { status: 'pending', leaseUntil, payload });
    },
    async hold(userId, dedupeKey, channel, { now, until, payload }) {
      return take(userId, dedupeKey, channel, now, { status: 'held', leaseUntil: new Date(until), payload });
    },
    async claimDue({ now, leaseMs, limit, channels }) {
      const at = now.getTime();
      const wanted = channels === undefined ? null : new Set(channels);
      const due: Delivery[] = [];
      for (const key of resumable) {
        const row = deliveries.get(key);
        if (row === undefined || (wanted !== null && !wanted.has(row.channel))) continue;
        if (row.leaseUntil === null || row.leaseUntil.getTime() <= at) due.push(row);
      }
      const stamp = clock.now();
      const leaseUntil = new Date(at + leaseMs);
      const claimed = due
        .sort(dueOrder)
        .slice(0, Math.max(0, Math.floor(limit)))
        .map((row) => {
          const next: Delivery = {
            ...row,
            status: 'pending',
            attempts: row.status === 'held' ? row.attempts : row.attempts + 1,
            leaseUntil,
            updatedAt: stamp,
          };
          put(deliveryKey(row.userId, row.dedupeKey, row.channel), next);
          return next;
        });
      return copyOut(claimed);
    },
    async markDelivered(userId, dedupeKey, channel, at) {
      update(userId, dedupeKey, channel, (row) =>
        row.status === 'delivered'
          ? row
          : {
              ...row,
              status: 'delivered',
              leaseUntil: null,
              payload: null,
              deliveredAt: new Date(at),
              updatedAt: new Date(at),
            },
      );
    },
    async markFailed(userId, dedupeKey, channel, { permanent, error, at }) {
      update(userId, dedupeKey, channel, (row) =>
        row.status === 'delivered'
          ? row
          : {
              ...row,
              status: permanent ? 'failed' : row.status,
              leaseUntil: null,
              payload: permanent ? null : row.payload,
              lastError: error,
              updatedAt: new Date(at),
            },
      );
    },
    async list(userId, options = {}) {
      const rows = [...deliveries.values()]
        .filter(
          (row) => row.userId === userId && (options.status === undefined || row.status === options.status),
        )
        .sort(
          (a, b) =>
            b.createdAt.getTime() - a.createdAt.getTime() ||
            a.dedupeKey.localeCompare(b.dedupeKey) ||
            a.channel.localeCompare(b.channel),
        );
      return copyOut(options.limit === undefined ? rows : rows.slice(0, Math.max(0, options.limit)));
    },
  };
}
