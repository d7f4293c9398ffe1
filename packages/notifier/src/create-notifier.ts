import {
  type Clock,
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
  /** How often held (quiet hours, digest) notifications are checked; 0 turns the timer off. Default 60 000. */
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
  /** Resolves when nothing is queued, sending or waiting to retry (held notifications aside). */
  idle(): Promise<void>;
  /** Sends what quiet hours or the digest held and whose time has come; returns how many messages. */
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

interface HeldJob {
  job: Job;
  releaseAt: number;
  /** Digest items are merged into one message per user and channel when released. */
  digest: boolean;
}

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
  const held: HeldJob[] = [];

  const finish = (job: Job) => {
    waiting.delete(job);
    inflight -= 1;
    if (inflight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const claimAll = async (job: Job, now: Date, lease: number): Promise<string[]> => {
    const outcomes = await Promise.all(
      job.keys.map((key) => store.deliveries.claim(job.userId, key, job.channel, { now, leaseMs: lease })),
    );
    return job.keys.filter((_, i) => outcomes[i] === 'claimed');
  };

  const markAll = async (job: Job, mark: (key: string) => Promise<void>) => {
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

    const planned = await Promise.all(
      [...new Set(wanted)].map(async (kind) => {
        const channel = channels[kind];
        if (channel === undefined || !(await channel.reaches(recipient))) return null;
        const digest = digestAt !== null && kind !== 'in_app';
        const releaseAt = digest ? digestAt : interruptive.has(kind) ? quietEnd : null;
        const lease = leaseMs + (releaseAt === null ? 0 : releaseAt.getTime() - now.getTime());
        const outcome = await store.deliveries.claim(notification.userId, notification.dedupeKey, kind, {
          now,
          leaseMs: lease,
        });
        if (outcome !== 'claimed') return null;
        const job: Job = {
          channel: kind,
          userId: notification.userId,
          keys: [notification.dedupeKey],
          message: {
            notification,
            recipient,
            html: html ?? toHtml(notification.title, notification.body.split('\n\n')),
            idempotencyKey: idempotencyKey(notification.userId, notification.dedupeKey, kind),
          },
          leaseUntil: now.getTime() + lease,
          attempts: 0,
        };
        return { job, releaseAt, digest };
      }),
    );
    const accepted: NotificationChannel[] = [];
    for (const plan of planned) {
      if (plan === null) continue;
      accepted.push(plan.job.channel);
      if (plan.releaseAt === null) {
        inflight += 1;
        enqueue(plan.job);
      } else {
        held.push({ job: plan.job, releaseAt: plan.releaseAt.getTime(), digest: plan.digest });
      }
    }
    // The caller's next send waits one turn of the event loop, so a burst of sends cannot keep the
    // channels' network work (requests, responses, retry timers) from running until the burst ends.
    await nextTurn();
    return { accepted: accepted.length > 0, channels: accepted };
  }

  async function flushHeld(): Promise<number> {
    const now = clock.now().getTime();
    const due = held.filter((h) => h.releaseAt <= now);
    if (due.length === 0) return 0;
    for (const h of due) held.splice(held.indexOf(h), 1);
    const digests = new Map<string, Job[]>();
    let messages = 0;
    for (const { job, digest } of due) {
      if (!digest) {
        inflight += 1;
        enqueue(job);
        messages += 1;
        continue;
      }
      const group = `${job.userId}\u0000${job.channel}`;
      digests.set(group, [...(digests.get(group) ?? []), job]);
    }
    for (const jobs of digests.values()) {
      const first = jobs[0];
      if (first === undefined) continue;
      const { recipient } = first.message;
      const date = zonedDate(new Date(now), recipient.timeZone);
      const rendered = notificationTemplates.dailyDigest(
        { date, items: jobs.map((j) => j.message.notification) },
        { locale: recipient.locale },
      );
      const dedupeKey = `digest:${date}`;
      inflight += 1;
      enqueue({
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
      });
      messages += 1;
    }
    return messages;
  }

  const holdTimer =
    (options.holdCheckMs ?? 60_000) > 0
      ? setInterval(() => {
          flushHeld().catch((error: unknown) =>
            onError(error, { userId: '', channel: 'in_app', dedupeKeys: [] }),
          );
        }, options.holdCheckMs ?? 60_000)
      : undefined;
  holdTimer?.unref();

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
      // What never started goes back to the log, so another process can send it without waiting for the lease.
      const unstarted = [...waiting, ...held.map((h) => h.job)];
      held.length = 0;
      for (const queue of queues.values()) queue.clear();
      const at = clock.now();
      for (const job of unstarted) {
        if (job.timer !== undefined) clearTimeout(job.timer);
        await markAll(job, (key) =>
          store.deliveries.markFailed(job.userId, key, job.channel, {
            permanent: false,
            error: 'notifier closed before sending',
            at,
          }),
        );
        if (waiting.has(job)) finish(job);
      }
      await Promise.all([...queues.values()].map((queue) => queue.onIdle()));
      await Promise.all(Object.values(channels).map((channel) => channel.close()));
    },
  };
}
