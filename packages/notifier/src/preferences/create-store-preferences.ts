import {
  defaultUserNotificationPreferences,
  FinkitError,
  mergeStoredPreferences,
  type NotificationPreferencesPatch,
  notificationPreferencesPatchSchema,
  notificationPreferencesSchema,
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
  const checked = notificationPreferencesSchema.safeParse({
    ...defaultUserNotificationPreferences,
    ...options.defaults,
  });
  if (!checked.success) {
    // A bad default would otherwise surface only when some user's notification is sent.
    throw new FinkitError(
      'VALIDATION',
      `createStorePreferences: invalid defaults: ${checked.error.message}`,
      {
        details: {
          issues: checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
    );
  }
  const base = checked.data;
  return {
    get: async (userId) =>
      resolveNotificationPreferences(await store.notificationPreferences.get(userId), base),
    async update(userId, patch) {
      const parsed = notificationPreferencesPatchSchema.safeParse(patch);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        }));
        throw new FinkitError(
          'VALIDATION',
          `Invalid notification preferences: ${issues[0]?.path}: ${issues[0]?.message}`,
          { cause: parsed.error, details: { issues } },
        );
      }
      const json = mergeStoredPreferences(await store.notificationPreferences.get(userId), parsed.data);
      await store.notificationPreferences.put(userId, json);
      return resolveNotificationPreferences(json, base);
    },
  };
}
