import {
  defaultUserNotificationPreferences,
  type NotificationPreferencesUpdate,
  notificationPreferencesSchema,
  parseInput,
  resolveNotificationPreferences,
  type Store,
  updateUserPreferences,
} from '@finkit/core';
import type { NotificationPreferences, UserPreferences } from './notification-preferences.js';

export interface StorePreferences extends NotificationPreferences {
  /**
   * Replaces the fields given (as `PUT /notifications/preferences` does) and returns the result
   * with its new version; with `version`, only if the stored choices are still at that version.
   * @throws VALIDATION naming the bad field; CONFLICT when `version` is stale.
   */
  update(
    userId: string,
    update: NotificationPreferencesUpdate,
  ): Promise<UserPreferences & { version: number }>;
}

export interface StorePreferencesOptions {
  /** What users who chose nothing get (over `defaultUserPreferences`); pass createFinkit's `notificationDefaults` too. */
  defaults?: Partial<UserPreferences>;
}

/**
 * Preferences kept in the Store (`store.notificationPreferences`), shared by every process and
 * kept across restarts; the same documents `finkit.notifications.preferences` reads and updates.
 * Only a user's own choices are stored, so a change of `defaults` reaches everyone else.
 */
export function createStorePreferences(
  store: Pick<Store, 'notificationPreferences'>,
  options: StorePreferencesOptions = {},
): StorePreferences {
  // A bad default would otherwise surface only when some user's notification is sent.
  const base = parseInput(
    notificationPreferencesSchema,
    { ...defaultUserNotificationPreferences, ...options.defaults },
    'createStorePreferences defaults',
  );
  return {
    get: async (userId) =>
      resolveNotificationPreferences((await store.notificationPreferences.get(userId))?.json ?? null, base),
    update: (userId, update) => updateUserPreferences(store.notificationPreferences, userId, update, base),
  };
}
