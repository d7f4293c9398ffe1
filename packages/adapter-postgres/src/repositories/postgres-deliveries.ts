import {
  type Delivery,
  type DeliveryClaim,
  type DeliveryRepository,
  type DeliveryStatus,
  notFound,
} from '@finkit/core';
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
  payload: string | null;
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
    payload: row.payload,
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
  // One statement: the primary key serializes racing inserts, and the conditional update re-takes
  // only a pending row whose lease is released or expired, so exactly one caller sees a row come back.
  const take = async (
    userId: string,
    dedupeKey: string,
    channel: string,
    now: Date,
    next: { status: 'held' | 'pending'; leaseUntil: Date; payload: string | null },
  ): Promise<DeliveryClaim> => {
    const stamp = clock.now();
    const taken = await sql<{ attempts: number }>`
      insert into notification_deliveries
        (user_id, dedupe_key, channel, status, attempts, lease_until, payload, created_at, updated_at)
      values (${userId}, ${dedupeKey}, ${channel}, ${next.status}, 1, ${next.leaseUntil}, ${next.payload},
        ${stamp}, ${stamp})
      on conflict (user_id, dedupe_key, channel) do update
        set status = excluded.status,
            attempts = notification_deliveries.attempts + 1,
            lease_until = excluded.lease_until,
            payload = coalesce(excluded.payload, notification_deliveries.payload),
            updated_at = excluded.updated_at
        where notification_deliveries.status = 'pending'
          and (notification_deliveries.lease_until is null or notification_deliveries.lease_until <= ${now})
      returning attempts
    `.execute(db);
    if (taken.rows.length > 0) return 'claimed';
    const current = await sql<{ status: DeliveryStatus }>`
      select status from notification_deliveries
      where user_id = ${userId} and dedupe_key = ${dedupeKey} and channel = ${channel}
    `.execute(db);
    const status = current.rows[0]?.status;
    if (status === 'delivered' || status === 'failed') return status;
    return 'in_progress';
  };
  return {
    async claim(userId, dedupeKey, channel, { now, leaseMs, payload }) {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      return take(userId, dedupeKey, channel, now, {
        status: 'pending',
        leaseUntil,
        payload: payload ?? null,
      });
    },
    async hold(userId, dedupeKey, channel, { now, until, payload }) {
      return take(userId, dedupeKey, channel, now, { status: 'held', leaseUntil: until, payload });
    },
    async claimDue({ now, leaseMs, limit, channels }) {
      const stamp = clock.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      // skip locked: concurrent senders each take different rows instead of queueing on the same ones;
      // a row another sender just took fails the re-checked lease condition and is left out.
      // The update's rows come back in no particular order; the outer select restores the due order.
      // The channel filter is checked on the partial index's rows (only those with a payload): on
      // PostgreSQL 15, 50k due rows of another channel cost ~6 ms a call, and putting channel in
      // the index did not move the filter into the scan.
      const rows = await sql<DeliveryRow>`
        with due as (
          select user_id, dedupe_key, channel, lease_until as due
          from notification_deliveries
          where payload is not null and status in ('held', 'pending')
            and (lease_until is null or lease_until <= ${now})
            ${channels === undefined ? sql`` : sql`and channel = any(${[...channels]}::text[])`}
          order by lease_until nulls first, user_id collate "C", dedupe_key collate "C", channel collate "C"
          limit ${Math.max(0, Math.floor(limit))}
          for update skip locked
        ), taken as (
          update notification_deliveries d
          set status = 'pending',
              attempts = d.attempts + case when d.status = 'held' then 0 else 1 end,
              lease_until = ${leaseUntil},
              updated_at = ${stamp}
          from due
          where d.user_id = due.user_id and d.dedupe_key = due.dedupe_key and d.channel = due.channel
          returning d.*, due.due
        )
        select * from taken
        order by due nulls first, user_id collate "C", dedupe_key collate "C", channel collate "C"
      `.execute(db);
      return rows.rows.map(toDelivery);
    },
    async markDelivered(userId, dedupeKey, channel, at) {
      const result = await sql`
        update notification_deliveries
        set status = 'delivered', lease_until = null, payload = null, delivered_at = ${at}, updated_at = ${at}
        where user_id = ${userId} and dedupe_key = ${dedupeKey} and channel = ${channel}
          and status <> 'delivered'
      `.execute(db);
      if (Number(result.numAffectedRows ?? 0n) === 0) await requireRow(userId, dedupeKey, channel);
    },
    async markFailed(userId, dedupeKey, channel, { permanent, error, at }) {
      const result = await sql`
        update notification_deliveries
        set status = case when ${permanent}::boolean then 'failed' else status end,
            lease_until = null, last_error = ${error}, updated_at = ${at},
            payload = case when ${permanent}::boolean then null else payload end
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
