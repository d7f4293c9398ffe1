import {
  defaultUserPreferences,
  type NotificationPreferences,
  type UserPreferences,
} from './notification-preferences.js';

export interface MemoryPreferences extends NotificationPreferences {
  /** Merges `patch` over the user's current preferences. */
  set(userId: string, patch: Partial<UserPreferences>): void;
}

/** Preferences in one process's memory, over `defaults` (merged over `defaultUserPreferences`). */
export function createMemoryPreferences(defaults: Partial<UserPreferences> = {}): MemoryPreferences {
  const base: UserPreferences = { ...defaultUserPreferences, ...defaults };
  const byUser = new Map<string, UserPreferences>();
  return {
    async get(userId) {
      return structuredClone(byUser.get(userId) ?? base);
    },
    set(userId, patch) {
      byUser.set(userId, { ...(byUser.get(userId) ?? base), ...structuredClone(patch) });
    },
  };
}
