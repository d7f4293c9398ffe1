import { createHash } from 'node:crypto';
import {
  type Clock,
  type Delivery,
  type EventBus,
  FinkitError,
  type NotificationChannel,
  type NotificationResult,
  type Notifier,
  type OutgoingNotification,
  type Store,
  systemClock,
  zonedDate,
} from '@finkit/core';
import PQueue from 'p-queue';
import { createInAppChannel } from './channels/create-in-app-channel.js';
import type { ChannelMessage, DeliveryChannel, Recipient } from './channels/delivery-channel.js';
import { isPermanentFailure } from './delivery-failure.js';
import { decodeDeliveryPayload, encodeDeliveryPayload } from './delivery-payload.js';
import { idempotencyKey } from './idempotency-key.js';
import { createMemoryPreferences } from './preferences/create-memory-preferences.js';
import { nextLocalTime, quietUntil } from './preferences/next-local-time.js';
import type { NotificationPreferences } from './preferences/notification-preferences.js';
import { defaultRetry, type RetryOptions, retryDelay } from './retry-delay.js';
import { notificationTemplates, toHtml } from './templates/notification-templates.js';

export interface ChannelLimits {
  /** Sends in flight at once on this channel. Default 8. */
  concurrency?: number;
  /** At most `intervalCap` sends start per `intervalMs` (a provider's rate limit). */
  intervalCap?: number;
  intervalMs?: number;
}

export interface NotifierOptions {
  store: Store;
  /** The channels to deliver on; `in_app` is added over `store` (and `events`) unless given. */
  channels: Partial<Record<NotificationChannel, DeliveryChannel>>;
  /** Default: in memory, every user on `defaultUserPreferences`. */
  preferences?: NotificationPreferences;
  /** Where in-app notifications are published as `notification.created`. */
  events?: EventBus;
  clock?: Clock;
  retry?: Partial<RetryOptions>;
  /** Per channel. A slow channel only fills its own queue. */
  limits?: Partial<Record<NotificationChannel, ChannelLimits>>;
  /**
   * How long a claim keeps other senders off a delivery, default 10 minutes. It must outlast the
   * queue wait plus all retries; a sender that dies holds it this long before another may resend.
   */
  leaseMs?: number;
  /**
   * How often the store is asked for due work: held notifications (quiet hours, digest) whose time
   * has come, and deliveries a dead or closed sender left unsent. The first check runs right after
   * start, so a restarted process resumes at once. 0 turns the timer off (call `flushHeld`). Default 60 000.
   */
  holdCheckMs?: number;
  /** Background failures: a permanently failed delivery, a store write that failed. Default console.error. */
  onError?: (
    error: unknown,
    context: { userId: string; channel: NotificationChannel; dedupeKeys: string[] },
  ) => void;
}

/** A notification as `send` takes it: the port's, plus an optional HTML body for email. */
export type NotifierInput = OutgoingNotification & { html?: string };

export interface NotifierService extends Notifier {
  send(notification: NotifierInput): Promise<NotificationResult>;
  /** Resolves when nothing is queued, sending, waiting to retry or being released (held notifications aside). */
  idle(): Promise<void>;
  /**
   * Takes due work from the store and queues it: what quiet hours or the digest held and whose
   * time has come (digest items merged into one message per user and channel), and what a sender
   * that died or closed left unsent (its lease over). Returns how many messages were queued.
   */
  flushHeld(): Promise<number>;
  /** Stops taking work, releases the leases of what never started, waits for sends in flight, closes channels. */
  close(): Promise<void>;
}

interface Job {
  channel: NotificationChannel;
  userId: string;
  /** The dedupe keys this message delivers: one, or every item of a digest. */
  keys: string[];
  message: ChannelMessage;
  /** When the lease taken for these keys runs out (ms since epoch). */
  leaseUntil: number;
  attempts: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** Rows taken from the store per `claimDue` call. */
const claimBatch = 500;

const interruptive = new Set<NotificationChannel>(['email', 'sms', 'push']);

/**
 * Resolves after the event loop has taken a turn (timers, sockets). Promise chains alone never give
 * one: with an in-process store a caller's `await send()` loop, or a channel that finishes in
 * microtasks (in-app over the memory store), would otherwise hold the thread until it runs dry while
 * the network channels' requests and responses sit unprocessed.
 */
const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The Notifier: per-user preferences, a durable delivery log in the Store (one row per user,
 * dedupe key and channel), a p-queue per channel, and retries with backoff. `send` returns once the
 * deliveries are claimed and queued; the sending happens in the background.
 */
export function createNotifier(options: NotifierOptions): NotifierService {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const preferences = options.preferences ?? createMemoryPreferences();
  const retry: RetryOptions = { ...defaultRetry, ...options.retry };
  const leaseMs = options.leaseMs ?? 600_000;
  const onError =
    options.onError ??
    ((error: unknown, context: { channel: NotificationChannel; dedupeKeys: string[] }) =>
      console.error(`finkit notifier: ${context.channel} ${context.dedupeKeys.join(', ')}`, error));
  const channels: Partial<Record<NotificationChannel, DeliveryChannel>> = {
    in_app: createInAppChannel({ store, clock, ...(options.events ? { events: options.events } : {}) }),
    ...options.channels,
  };
  // Only these are taken from the store's due work: a row of a channel this process lacks is left
  // for a process that has it, instead of being leased here where it can only wait out the lease.
  const sendable = (Object.keys(channels) as NotificationChannel[]).filter((c) => channels[c] !== undefined);
  const queues = new Map<NotificationChannel, PQueue>();
  const queueFor = (channel: NotificationChannel): PQueue => {
    let queue = queues.get(channel);
    if (queue === undefined) {
      const limits = options.limits?.[channel] ?? {};
      queue = new PQueue({
        concurrency: limits.concurrency ?? 8,
        ...(limits.intervalCap !== undefined
          ? { intervalCap: limits.intervalCap, interval: limits.intervalMs ?? 1000 }
          : {}),
      });
      queues.set(channel, queue);
    }
    return queue;
  };

  let closed = false;
  let inflight = 0;
  let idleWaiters: (() => void)[] = [];
  const waiting = new Set<Job>();

  const settle = () => {
    inflight -= 1;
    if (inflight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };
  const finish = (job: Job) => {
    waiting.delete(job);
    settle();
  };

  const claimAll = async (job: Job, now: Date, lease: number): Promise<string[]> => {
    const outcomes = await Promise.all(
      job.keys.map((key) => store.deliveries.claim(job.userId, key, job.channel, { now, leaseMs: lease })),
    );
    return job.keys.filter((_, i) => outcomes[i] === 'claimed');
  };

  const markAll = async (
    job: Pick<Job, 'userId' | 'channel' | 'keys'>,
    mark: (key: string) => Promise<void>,
  ) => {
    try {
      await Promise.all(job.keys.map(mark));
    } catch (error) {
      // The lease then expires and a later send retries: at least once, never silently lost.
      onError(error, { userId: job.userId, channel: job.channel, dedupeKeys: job.keys });
    }
  };

  const enqueue = (job: Job) => {
    waiting.add(job);
    void queueFor(job.channel).add(() => attempt(job));
  };

  /** Gives a job's rows back to the log, so another process can send them without waiting for the lease. */
  const releaseLeases = (job: Job, at: Date) =>
    markAll(job, (key) =>
      store.deliveries.markFailed(job.userId, key, job.channel, {
        permanent: false,
        error: 'notifier closed before sending',
        at,
      }),
    );

  /** Queues work taken from the store; after close() its leases are released instead. */
  const dispatch = async (job: Job, at: Date): Promise<number> => {
    if (closed) {
      await releaseLeases(job, at);
      return 0;
    }
    inflight += 1;
    enqueue(job);
    return 1;
  };

  async function attempt(job: Job): Promise<void> {
    // p-queue starts a job inside whatever chain freed its slot; a backlog on a channel that never
    // awaits I/O would run back to back and starve the other channels' sockets. One turn per attempt.
    await nextTurn();
    // Still waiting until now, so a close() during that turn released it, and finished it already.
    if (!waiting.has(job)) return;
    waiting.delete(job);
    const channel = channels[job.channel];
    if (channel === undefined || closed) return finish(job);
    try {
      const now = clock.now();
      if (now.getTime() >= job.leaseUntil) {
        // The lease ran out while this waited: take it again unless another sender already has.
        job.keys = await claimAll(job, now, leaseMs);
        job.leaseUntil = now.getTime() + leaseMs;
        if (job.keys.length === 0) return finish(job);
      }
      job.attempts += 1;
      try {
        await channel.deliver(job.message);
      } catch (error) {
        const permanent = isPermanentFailure(error);
        if (permanent || job.attempts >= retry.attempts || closed) {
          const reason = permanent
            ? (error as Error).message
            : `gave up after ${job.attempts} attempts: ${(error as Error).message}`;
          const at = clock.now();
          await markAll(job, (key) =>
            store.deliveries.markFailed(job.userId, key, job.channel, {
              permanent: permanent || !closed,
              error: reason.slice(0, 1000),
              at,
            }),
          );
          onError(error, { userId: job.userId, channel: job.channel, dedupeKeys: job.keys });
          return finish(job);
        }
        const retryAfterMs = FinkitError.isInstance(error) ? error.retryAfterMs : undefined;
        waiting.add(job);
        job.timer = setTimeout(
          () => {
            job.timer = undefined;
            void queueFor(job.channel).add(() => attempt(job));
          },
          retryDelay(job.attempts, retry, retryAfterMs),
        );
        return;
      }
      const at = clock.now();
      await markAll(job, (key) => store.deliveries.markDelivered(job.userId, key, job.channel, at));
      finish(job);
    } catch (error) {
      onError(error, { userId: job.userId, channel: job.channel, dedupeKeys: job.keys });
      finish(job);
    }
  }

  const recipientOf = (
    userId: string,
    prefs: Awaited<ReturnType<NotificationPreferences['get']>>,
  ): Recipient => ({
    userId,
    email: prefs.email,
    phone: prefs.phone,
    locale: prefs.locale,
    timeZone: prefs.timeZone,
  });

  const messageFor = (
    notification: OutgoingNotification,
    recipient: Recipient,
    kind: NotificationChannel,
    html: string | undefined,
  ): ChannelMessage => ({
    notification,
    recipient,
    html: html ?? toHtml(notification.title, notification.body.split('\n\n')),
    idempotencyKey: idempotencyKey(notification.userId, notification.dedupeKey, kind),
  });

  async function send(input: NotifierInput): Promise<NotificationResult> {
    if (closed) throw new FinkitError('CAPABILITY_UNAVAILABLE', 'The notifier is closed');
    for (const field of ['userId', 'type', 'dedupeKey'] as const) {
      if (typeof input[field] !== 'string' || input[field].length === 0) {
        throw new FinkitError('VALIDATION', `Notification ${field} must be a non-empty string`, {
          details: { field },
        });
      }
    }
    if (input.dedupeKey.length > 512) {
      throw new FinkitError('VALIDATION', 'Notification dedupeKey is longer than 512 characters');
    }
    const { html, ...notification } = input;
    const prefs = await preferences.get(notification.userId);
    if (prefs.unsubscribed.includes(notification.type)) return { accepted: false, channels: [] };
    const recipient = recipientOf(notification.userId, prefs);
    const wanted = notification.channels ?? prefs.channels[notification.type] ?? prefs.channels['*'] ?? [];
    const now = clock.now();
    const quietEnd = prefs.quietHours === null ? null : quietUntil(now, prefs.quietHours, prefs.timeZone);
    const digestAt =
      prefs.digest?.types.includes(notification.type) === true
        ? nextLocalTime(now, prefs.digest.at, prefs.timeZone)
        : null;

    const sendNow = encodeDeliveryPayload({ notification, ...(html === undefined ? {} : { html }) });
    const planned = await Promise.all(
      [...new Set(wanted)].map(async (kind) => {
        const channel = channels[kind];
        if (channel === undefined || !(await channel.reaches(recipient))) return null;
        const digest = digestAt !== null && kind !== 'in_app';
        const releaseAt = digest ? digestAt : interruptive.has(kind) ? quietEnd : null;
        const { userId, dedupeKey } = notification;
        if (releaseAt !== null) {
          // Held in the store, not in memory: a restart must not lose what waits for morning.
          const payload = digest
            ? encodeDeliveryPayload({
                notification,
                ...(html === undefined ? {} : { html }),
                digestAt: releaseAt.toISOString(),
              })
            : sendNow;
          const held = await store.deliveries.hold(userId, dedupeKey, kind, {
            now,
            until: releaseAt,
            payload,
          });
          return held === 'claimed' ? { kind, job: null } : null;
        }
        // The payload lets another sender finish this one if this process dies before it is sent.
        const outcome = await store.deliveries.claim(userId, dedupeKey, kind, {
          now,
          leaseMs,
          payload: sendNow,
        });
        if (outcome !== 'claimed') return null;
        const job: Job = {
          channel: kind,
          userId,
          keys: [dedupeKey],
          message: messageFor(notification, recipient, kind, html),
          leaseUntil: now.getTime() + leaseMs,
          attempts: 0,
        };
        return { kind, job };
      }),
    );
    const accepted: NotificationChannel[] = [];
    for (const plan of planned) {
      if (plan === null) continue;
      accepted.push(plan.kind);
      if (plan.job !== null) {
        inflight += 1;
        enqueue(plan.job);
      }
    }
    // The caller's next send waits one turn of the event loop, so a burst of sends cannot keep the
    // channels' network work (requests, responses, retry timers) from running until the burst ends.
    await nextTurn();
    return { accepted: accepted.length > 0, channels: accepted };
  }

  /** Queues due rows from the store; digest items come back to be merged by the caller. */
  async function release(due: Delivery[], now: Date, digests: Map<string, Job[]>): Promise<number> {
    const recipients = new Map<string, Promise<Recipient>>();
    const recipientFor = (userId: string): Promise<Recipient> => {
      let recipient = recipients.get(userId);
      if (recipient === undefined) {
        recipient = preferences.get(userId).then((prefs) => recipientOf(userId, prefs));
        recipients.set(userId, recipient);
      }
      return recipient;
    };
    let messages = 0;
    for (const row of due) {
      const payload = decodeDeliveryPayload(row.payload);
      if (payload === null) {
        await markAll({ userId: row.userId, channel: row.channel, keys: [row.dedupeKey] }, (key) =>
          store.deliveries.markFailed(row.userId, key, row.channel, {
            permanent: true,
            error: 'stored payload is unreadable',
            at: now,
          }),
        );
        continue;
      }
      // claimDue was asked for `sendable` only; this guards against a store that ignores the filter.
      if (channels[row.channel] === undefined) continue;
      const recipient = await recipientFor(row.userId);
      const job: Job = {
        channel: row.channel,
        userId: row.userId,
        keys: [row.dedupeKey],
        message: messageFor(payload.notification, recipient, row.channel, payload.html),
        leaseUntil: now.getTime() + leaseMs,
        attempts: 0,
      };
      if (payload.digestAt === undefined) {
        messages += await dispatch(job, now);
        continue;
      }
      const group = `${row.userId}\u0000${row.channel}\u0000${payload.digestAt}`;
      digests.set(group, [...(digests.get(group) ?? []), job]);
    }
    return messages;
  }

  /** Checks running now; close() waits for them. */
  const flushes = new Set<Promise<number>>();

  async function flushHeld(): Promise<number> {
    if (closed) return 0;
    const run = takeDue();
    flushes.add(run);
    try {
      return await run;
    } finally {
      flushes.delete(run);
    }
  }

  async function takeDue(): Promise<number> {
    // Counted as work in flight, so idle() also waits for rows taken from the store but not yet queued.
    inflight += 1;
    try {
      const now = clock.now();
      const digests = new Map<string, Job[]>();
      let messages = 0;
      for (;;) {
        const due = await store.deliveries.claimDue({ now, leaseMs, limit: claimBatch, channels: sendable });
        messages += await release(due, now, digests);
        if (due.length < claimBatch || closed) break;
      }
      for (const [group, jobs] of digests) {
        const first = jobs[0];
        if (first === undefined) continue;
        const { recipient } = first.message;
        // The digest's own time names it, so a digest resumed after a restart keeps its key.
        const date = zonedDate(new Date(group.slice(group.lastIndexOf('\u0000') + 1)), recipient.timeZone);
        const rendered = notificationTemplates.dailyDigest(
          { date, items: jobs.map((j) => j.message.notification) },
          { locale: recipient.locale },
        );
        // The items name it too: a second digest the same day (the digest time changed, or two
        // processes each took part of the rows) is another message, not a repeat a receiver drops.
        const items = jobs.flatMap((j) => j.keys).sort();
        const dedupeKey = `digest:${date}:${createHash('sha256').update(items.join('\u0000')).digest('hex').slice(0, 16)}`;
        messages += await dispatch(
          {
            channel: first.channel,
            userId: first.userId,
            keys: jobs.flatMap((j) => j.keys),
            message: {
              notification: {
                userId: first.userId,
                type: 'digest.daily',
                dedupeKey,
                title: rendered.title,
                body: rendered.body,
                data: { items: jobs.map((j) => j.message.notification.dedupeKey) },
              },
              recipient,
              html: rendered.html,
              idempotencyKey: idempotencyKey(first.userId, dedupeKey, first.channel),
            },
            leaseUntil: Math.min(...jobs.map((j) => j.leaseUntil)),
            attempts: 0,
          },
          now,
        );
      }
      return messages;
    } finally {
      settle();
    }
  }

  const holdCheckMs = options.holdCheckMs ?? 60_000;
  const checkDue = () => {
    flushHeld().catch((error: unknown) => onError(error, { userId: '', channel: 'in_app', dedupeKeys: [] }));
  };
  const holdTimer = holdCheckMs > 0 ? setInterval(checkDue, holdCheckMs) : undefined;
  holdTimer?.unref();
  // Right after start, not a whole interval later: what a crashed process left is resumed at once.
  const firstCheck = holdCheckMs > 0 ? setTimeout(checkDue, 0) : undefined;
  firstCheck?.unref();

  const idle = (): Promise<void> =>
    inflight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));

  return {
    send,
    idle,
    flushHeld,
    async close() {
      if (closed) return;
      closed = true;
      if (holdTimer !== undefined) clearInterval(holdTimer);
      if (firstCheck !== undefined) clearTimeout(firstCheck);
      // What never started goes back to the log, so another process can send it without waiting
      // for the lease. Held notifications stay held in the store.
      const unstarted = [...waiting];
      for (const queue of queues.values()) queue.clear();
      const at = clock.now();
      for (const job of unstarted) {
        if (job.timer !== undefined) clearTimeout(job.timer);
        await releaseLeases(job, at);
        if (waiting.has(job)) finish(job);
      }
      // A check that took rows from the store releases them, seeing closed, before this goes on.
      await Promise.allSettled(flushes);
      await Promise.all([...queues.values()].map((queue) => queue.onIdle()));
      await Promise.all(Object.values(channels).map((channel) => channel.close()));
    },
  };
}
