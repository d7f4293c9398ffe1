import {
  type LocalTime as CoreLocalTime,
  defaultUserNotificationPreferences,
  type UserNotificationPreferences,
} from '@finkit/core';

/** Local wall-clock time `HH:MM` in the user's time zone. */
export type LocalTime = CoreLocalTime;

/**
 * What each user decides about their notifications: core's `notificationPreferencesSchema`, so the
 * REST API validates and documents exactly what the notifier reads.
 */
export type UserPreferences = UserNotificationPreferences;

/** Where the notifier reads each user's preferences. */
export interface NotificationPreferences {
  get(userId: string): Promise<UserPreferences>;
}

/** core's `defaultUserNotificationPreferences`. */
export const defaultUserPreferences: UserPreferences = defaultUserNotificationPreferences;
