import type { NotificationChannel } from '@finkit/core';

/** Local wall-clock time `HH:MM` in the user's time zone. */
export type LocalTime = `${number}:${number}`;

export interface UserPreferences {
  email: string | null;
  phone: string | null;
  /** BCP 47, for amounts and dates. */
  locale: string;
  /** IANA zone; quiet hours and the digest time are read in it. */
  timeZone: string;
  /** ISO 4217; amounts without their own currency are shown in it. */
  currency: string;
  /** Channels per notification type; `*` for every other type. */
  channels: Record<string, NotificationChannel[]>;
  /** Types the user never wants. */
  unsubscribed: string[];
  /**
   * Email, SMS and push wait while it is quiet (`start` to `end`, may cross midnight) and go out
   * when it ends; in-app and webhooks are silent and go at once.
   */
  quietHours: { start: LocalTime; end: LocalTime } | null;
  /** These types are collected and sent once a day at `at` instead of immediately (in-app stays immediate). */
  digest: { types: string[]; at: LocalTime } | null;
  /** Transactions at least this large (absolute minor units) get a notification; null: none. */
  largeTransactionThreshold: number | null;
}

/** Where the notifier reads each user's preferences. */
export interface NotificationPreferences {
  get(userId: string): Promise<UserPreferences>;
}

export const defaultUserPreferences: UserPreferences = {
  email: null,
  phone: null,
  locale: 'en-US',
  timeZone: 'UTC',
  currency: 'USD',
  channels: { '*': ['in_app', 'email', 'push', 'webhook'] },
  unsubscribed: [],
  quietHours: null,
  digest: null,
  largeTransactionThreshold: null,
};
