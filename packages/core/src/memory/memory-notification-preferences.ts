import type { NotificationPreferencesRepository } from '../ports/store.js';
import type { MemoryContext } from './memory-context.js';

export function createMemoryNotificationPreferences(
  context: MemoryContext,
): NotificationPreferencesRepository {
  return {
    get: async (userId) => context.read().notificationPreferences.get(userId) ?? null,
    async put(userId, json) {
      context.write((draft) => draft.notificationPreferences.set(userId, json));
    },
  };
}
