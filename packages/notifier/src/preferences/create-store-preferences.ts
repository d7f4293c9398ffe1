import {
  defaultUserNotificationPreferences,
  mergeStoredPreferences,
  type NotificationPreferencesPatch,
  notificationPreferencesPatchSchema,
  notificationPreferencesSchema,
  parseInput,
  resolveNotificationPreferences,
  type Store,
} from '@finkit/core';
import type { NotificationPreferences, UserPreferences } from './notification-preferences.js';

export interface StorePreferences extends NotificationPreferences {
  /**
   * Replaces the fields given (as `PUT /notifications/preferences` does) and returns the result.
   * @throws VALIDATION naming the bad field.
   */
  update(userId: string, patch: NotificationPreferencesPatch): Promise<UserPreferences>;
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
      resolveNotificationPreferences(await store.notificationPreferences.get(userId), base),
    async update(userId, patch) {
      const parsed = parseInput(notificationPreferencesPatchSchema, patch, 'notification preferences');
      const json = mergeStoredPreferences(await store.notificationPreferences.get(userId), parsed);
      await store.notificationPreferences.put(userId, json);
      return resolveNotificationPreferences(json, base);
    },
  };
}
