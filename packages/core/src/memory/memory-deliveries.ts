import { notFound } from '../errors/finkit-error.js';
import type { Clock } from '../ports/clock.js';
import type { Delivery, DeliveryRepository } from '../ports/store.js';
import type { NotificationChannel } from '../schemas/notification.js';
import { copyOut } from './memory-context.js';

export const deliveryKey = (userId: string, dedupeKey: string, channel: NotificationChannel): string =>
  `${userId}\u0000${dedupeKey}\u0000${channel}`;

/**
 * The delivery log in memory. It keeps its own map rather than a collection of the store's
 * snapshot state: no other write spans it, and copying a log of every notification ever sent on
 * each claim made sending quadratic. Each method mutates synchronously, so claims never interleave.
 */
export function createMemoryDeliveries(clock: Clock): DeliveryRepository {
  const deliveries = new Map<string, Delivery>();
  const update = (
    userId: string,
    dedupeKey: string,
    channel: NotificationChannel,
    change: (row: Delivery) => Delivery,
  ): void => {
    const key = deliveryKey(userId, dedupeKey, channel);
    const row = deliveries.get(key);
    if (row === undefined) throw notFound('Delivery', `${dedupeKey}/${channel}`);
    deliveries.set(key, change(row));
  };
  return {
    async claim(userId, dedupeKey, channel, { now, leaseMs }) {
      const stamp = clock.now();
      const key = deliveryKey(userId, dedupeKey, channel);
      const row = deliveries.get(key);
      const leaseUntil = new Date(now.getTime() + leaseMs);
      if (row === undefined) {
        deliveries.set(key, {
          userId,
          dedupeKey,
          channel,
          status: 'pending',
          attempts: 1,
          leaseUntil,
          lastError: null,
          createdAt: stamp,
          updatedAt: stamp,
          deliveredAt: null,
        });
        return 'claimed';
      }
      if (row.status === 'delivered') return 'delivered';
      if (row.status === 'failed') return 'failed';
      if (row.leaseUntil !== null && row.leaseUntil.getTime() > now.getTime()) return 'in_progress';
      deliveries.set(key, { ...row, attempts: row.attempts + 1, leaseUntil, updatedAt: stamp });
      return 'claimed';
    },
    async markDelivered(userId, dedupeKey, channel, at) {
      update(userId, dedupeKey, channel, (row) =>
        row.status === 'delivered'
          ? row
          : {
              ...row,
              status: 'delivered',
              leaseUntil: null,
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
