import type { NotificationPreferencesRepository } from '../ports/store.js';
import type { MemoryContext } from './memory-context.js';

export function createMemoryNotificationPreferences(
  context: MemoryContext,
): NotificationPreferencesRepository {
  return {
    async get(userId) {
      const stored = context.read().notificationPreferences.get(userId);
      return stored === undefined ? null : { ...stored };
    },
    async put(userId, json, expectedVersion) {
      // write() runs synchronously, so the version compared is the one replaced.
      return context.write((draft) => {
        const current = draft.notificationPreferences.get(userId)?.version ?? 0;
        if (current !== expectedVersion) return null;
        draft.notificationPreferences.set(userId, { json, version: current + 1 });
        return current + 1;
      });
    },
  };
}
