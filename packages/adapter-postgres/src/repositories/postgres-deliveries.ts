import { type Delivery, type DeliveryRepository, type DeliveryStatus, notFound } from '@finkit/core';
import { sql } from 'kysely';
import type { PostgresContext } from '../postgres-context.js';

// The table is reached through raw SQL so this repository needs no change to the shared schema types.
interface DeliveryRow {
  user_id: string;
  dedupe_key: string;
  channel: Delivery['channel'];
  status: DeliveryStatus;
  attempts: number;
  lease_until: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    userId: row.user_id,
    dedupeKey: row.dedupe_key,
    channel: row.channel,
    status: row.status,
    attempts: Number(row.attempts),
    leaseUntil: row.lease_until === null ? null : new Date(row.lease_until),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at),
  };
}

export function createPostgresDeliveries(context: PostgresContext): DeliveryRepository {
  const { db, clock } = context;
  const requireRow = async (userId: string, dedupeKey: string, channel: string): Promise<void> => {
    const found = await sql<{ one: number }>`
      select 1 as one from notification_deliveries
      where user_id = ${userId} and dedupe_key = ${dedupeKey} and channel = ${channel}
    `.execute(db);
    if (found.rows.length === 0) throw notFound('Delivery', `${dedupeKey}/${channel}`);
  };
  return {
    async claim(userId, dedupeKey, channel, { now, leaseMs }) {
      const stamp = clock.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      // One statement: the primary key serializes racing inserts, and the conditional update
      // re-claims only a released or expired lease, so exactly one caller sees a row come back.
      const claimed = await sql<{ attempts: number }>`
        insert into notification_deliveries
          (user_id, dedupe_key, channel, status, attempts, lease_until, created_at, updated_at)
        values (${userId}, ${dedupeKey}, ${channel}, 'pending', 1, ${leaseUntil}, ${stamp}, ${stamp})
        on conflict (user_id, dedupe_key, channel) do update
          set attempts = notification_deliveries.attempts + 1,
              lease_until = excluded.lease_until,
              updated_at = excluded.updated_at
          where notification_deliveries.status = 'pending'
            and (notification_deliveries.lease_until is null or notification_deliveries.lease_until <= ${now})
        returning attempts
      `.execute(db);
      if (claimed.rows.length > 0) return 'claimed';
      const current = await sql<{ status: DeliveryStatus }>`
        select status from notification_deliveries
        where user_id = ${userId} and dedupe_key = ${dedupeKey} and channel = ${channel}
      `.execute(db);
      const status = current.rows[0]?.status;
      if (status === 'delivered' || status === 'failed') return status;
      return 'in_progress';
    },
    async markDelivered(userId, dedupeKey, channel, at) {
      const result = await sql`
        update notification_deliveries
        set status = 'delivered', lease_until = null, delivered_at = ${at}, updated_at = ${at}
        where user_id = ${userId} and dedupe_key = ${dedupeKey} and channel = ${channel}
          and status <> 'delivered'
      `.execute(db);
      if (Number(result.numAffectedRows ?? 0n) === 0) await requireRow(userId, dedupeKey, channel);
    },
    async markFailed(userId, dedupeKey, channel, { permanent, error, at }) {
      const result = await sql`
        update notification_deliveries
        set status = case when ${permanent}::boolean then 'failed' else status end,
            lease_until = null, last_error = ${error}, updated_at = ${at}
        where user_id = ${userId} and dedupe_key = ${dedupeKey} and channel = ${channel}
          and status <> 'delivered'
      `.execute(db);
      if (Number(result.numAffectedRows ?? 0n) === 0) await requireRow(userId, dedupeKey, channel);
    },
    async list(userId, options = {}) {
      const limit = options.limit === undefined ? null : Math.max(0, Math.floor(options.limit));
      const rows = await sql<DeliveryRow>`
        select * from notification_deliveries
        where user_id = ${userId}
          ${options.status === undefined ? sql`` : sql`and status = ${options.status}`}
        order by created_at desc, dedupe_key collate "C", channel collate "C"
        ${limit === null ? sql`` : sql`limit ${limit}`}
      `.execute(db);
      return rows.rows.map(toDelivery);
    },
  };
}
