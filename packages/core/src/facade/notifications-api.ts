import { z } from 'zod';
import { notFound } from '../errors/finkit-error.js';
import { idSchema } from '../schemas/common.js';
import type { Notification } from '../schemas/notification.js';
import {
  defaultUserNotificationPreferences,
  type NotificationPreferencesUpdate,
  notificationPreferencesSchema,
  resolveNotificationPreferences,
  type UserNotificationPreferences,
  type VersionedNotificationPreferences,
} from '../schemas/notification-preferences.js';
import {
  type PushSubscriptionInput,
  type PushSubscriptionRecord,
  pushSubscriptionSchema,
} from '../schemas/push-subscription.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';
import { updateUserPreferences } from './update-stored-preferences.js';

/** How many notifications `list` returns when no limit is given, and the most it returns. */
export const NOTIFICATIONS_DEFAULT_LIMIT = 50;
export const NOTIFICATIONS_MAX_LIMIT = 500;

export const notificationListOptionsSchema = z
  .object({
    /** Only notifications the user has not read yet. */
    unreadOnly: z.boolean().optional(),
    /** 1 to 500; default 50. */
    limit: z.number().int().min(1).max(NOTIFICATIONS_MAX_LIMIT).optional(),
  })
  .strict();
export type NotificationListOptions = z.infer<typeof notificationListOptionsSchema>;

const endpointSchema = z.string().min(1).max(2048);

/** The user's in-app notifications, web push subscriptions and notification preferences. */
export interface NotificationsApi {
  /** Newest first. @throws VALIDATION for a limit outside 1..500. */
  list(userId: string, options?: NotificationListOptions): Promise<Notification[]>;
  /**
   * Marks one notification read and returns it; marking it again keeps the first read time.
   * @throws NOT_FOUND when it is not the user's.
   */
  markRead(userId: string, id: string): Promise<Notification>;
  /** The user's web push subscriptions, oldest first. */
  pushSubscriptions(userId: string): Promise<PushSubscriptionRecord[]>;
  /**
   * Adds a browser's subscription (`PushSubscription.toJSON()`), or replaces the keys of the
   * user's one with the same endpoint; an endpoint another user registered moves to this one.
   * @throws VALIDATION naming the bad field.
   */
  addPushSubscription(userId: string, subscription: PushSubscriptionInput): Promise<PushSubscriptionRecord>;
  /** @throws NOT_FOUND when the user has no subscription with this endpoint. */
  removePushSubscription(userId: string, endpoint: string): Promise<void>;
  /**
   * The user's notification preferences: their own choices over the app's defaults, and the
   * `version` of those choices (0 until the first update).
   */
  preferences(userId: string): Promise<VersionedNotificationPreferences>;
  /**
   * Replaces the fields given (each whole, `channels` too) and returns the preferences after, with
   * their new version. Fields not given keep the user's earlier choice or keep following the
   * defaults, also when another update runs at the same time. With `version` (as `preferences`
   * returned it), the update applies only if nothing changed them since.
   * @throws VALIDATION naming the bad field; CONFLICT (`details.version`: the current one) when
   * `version` is stale. Nothing is written then.
   */
  updatePreferences(
    userId: string,
    update: NotificationPreferencesUpdate,
  ): Promise<VersionedNotificationPreferences>;
}

/**
 * @param defaults What users who chose nothing get (over `defaultUserNotificationPreferences`);
 * give the notifier's `createStorePreferences` the same, so both read one truth.
 */
export function createNotificationsApi(
  { store, clock }: FinkitContext,
  defaults: Partial<UserNotificationPreferences> = {},
): NotificationsApi {
  const base = parseInput(
    notificationPreferencesSchema,
    { ...defaultUserNotificationPreferences, ...defaults },
    'notification preference defaults',
  );
  return {
    async list(userId, options = {}) {
      const parsed = parseInput(notificationListOptionsSchema, options, 'notification list options');
      return store.notifications.list(userId, {
        unreadOnly: parsed.unreadOnly === true,
        limit: parsed.limit ?? NOTIFICATIONS_DEFAULT_LIMIT,
      });
    },
    async markRead(userId, id) {
      parseInput(idSchema, id, 'notification id');
      return store.notifications.markRead(userId, id, clock.now());
    },
    pushSubscriptions: (userId) => store.pushSubscriptions.list(userId),
    async addPushSubscription(userId, subscription) {
      const { endpoint, keys } = parseInput(pushSubscriptionSchema, subscription, 'push subscription');
      const record: PushSubscriptionRecord = { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
      await store.pushSubscriptions.add(userId, record);
      return record;
    },
    async removePushSubscription(userId, endpoint) {
      parseInput(endpointSchema, endpoint, 'endpoint');
      if (!(await store.pushSubscriptions.remove(userId, endpoint)))
        throw notFound('Push subscription', endpoint);
    },
    async preferences(userId) {
      const stored = await store.notificationPreferences.get(userId);
      return {
        ...resolveNotificationPreferences(stored?.json ?? null, base),
        version: stored?.version ?? 0,
      };
    },
    updatePreferences: (userId, update) =>
      updateUserPreferences(store.notificationPreferences, userId, update, base),
  };
}
