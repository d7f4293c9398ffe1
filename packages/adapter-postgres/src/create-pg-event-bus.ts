import { randomUUID } from 'node:crypto';
import { createMemoryEventBus, type EventBus, type FinkitEvent } from '@finkit/core';
import type { Pool, PoolClient } from 'pg';

export interface PgEventBusOptions {
  /** Publishes through it and keeps one of its connections for LISTEN until `close()`. */
  pool: Pool;
  /** The NOTIFY channel; instances on one channel (and one schema) hear each other. */
  channel?: string;
  /** Receives subscriber failures and transport errors. Defaults to `console.error`. */
  onError?: (error: unknown) => void;
}

// NOTIFY payloads must stay under 8000 bytes; leave room for the envelope.
const inlineLimitBytes = 7_500;
const channelPattern = /^[a-z_][a-z0-9_]{0,62}$/;

interface Envelope {
  /** The publishing instance, so it does not deliver its own events twice. */
  o: string;
  e?: FinkitEvent;
  /** Id of a row in finkit_event_payloads holding an event too large to inline. */
  r?: string;
}

/**
 * An EventBus across processes on PostgreSQL LISTEN/NOTIFY. Local subscribers get an event
 * synchronously inside `publish` (core's memory bus does the fan-out); other instances get it from
 * the notification, in commit order. Large events go by reference through `finkit_event_payloads`
 * (created by `migrate`), which is pruned of rows older than an hour as new ones are written.
 */
export async function createPgEventBus(options: PgEventBusOptions): Promise<EventBus> {
  const channel = options.channel ?? 'finkit_events';
  if (!channelPattern.test(channel)) throw new TypeError(`Invalid channel name ${channel}`);
  const onError = options.onError ?? ((error: unknown) => console.error('finkit: event bus', error));
  const { pool } = options;
  const origin = randomUUID();
  const local = createMemoryEventBus({ onError: (error) => onError(error) });
  let closed = false;
  // Notifications are handled one at a time so a by-reference fetch never reorders events.
  let incoming: Promise<void> = Promise.resolve();

  const receive = async (payload: string): Promise<void> => {
    const envelope = JSON.parse(payload) as Envelope;
    if (envelope.o === origin) return;
    let event = envelope.e;
    if (event === undefined && envelope.r !== undefined) {
      const result = await pool.query<{ payload: FinkitEvent }>(
        'select payload from finkit_event_payloads where id = $1',
        [envelope.r],
      );
      event = result.rows[0]?.payload;
    }
    if (event !== undefined && !closed) await local.publish(event);
  };

  const listener: PoolClient = await pool.connect();
  listener.on('notification', (message) => {
    if (message.channel !== channel || message.payload === undefined) return;
    const payload = message.payload;
    incoming = incoming.then(() => receive(payload)).catch(onError);
  });
  listener.on('error', onError);
  await listener.query(`listen ${channel}`);

  return {
    capabilities: { crossProcess: true },
    async publish(event) {
      await local.publish(event);
      let message = JSON.stringify({ o: origin, e: event } satisfies Envelope);
      if (Buffer.byteLength(message) > inlineLimitBytes) {
        const id = randomUUID();
        await pool.query("delete from finkit_event_payloads where created_at < now() - interval '1 hour'");
        await pool.query('insert into finkit_event_payloads (id, payload) values ($1, $2)', [
          id,
          JSON.stringify(event),
        ]);
        message = JSON.stringify({ o: origin, r: id } satisfies Envelope);
      }
      await pool.query('select pg_notify($1, $2)', [channel, message]);
    },
    subscribe: local.subscribe,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await listener.query(`unlisten ${channel}`);
      } finally {
        listener.release();
        await incoming;
        await local.close();
      }
    },
  };
}
