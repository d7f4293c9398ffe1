import type { NotificationRepository } from '../ports/store.js';
import type { Notification } from '../schemas/notification.js';
import { copyOut, type MemoryContext, requireOwned } from './memory-context.js';

export function createMemoryNotifications(context: MemoryContext): NotificationRepository {
  const { read, write, newId } = context;
  return {
    async create(userId, input) {
      return write((draft, now) => {
        const key = `${userId}\u0000${input.dedupeKey}`;
        const existingId = draft.notificationKeys.get(key);
        if (existingId !== undefined) {
          return { notification: copyOut(draft.notifications.get(existingId)!), created: false };
        }
        const row: Notification = { ...copyOut(input), id: newId(), userId, createdAt: now, readAt: null };
        draft.notifications.set(row.id, row);
        draft.notificationKeys.set(key, row.id);
        return { notification: copyOut(row), created: true };
      });
    },
    async list(userId, options = {}) {
      const rows = [...read().notifications.values()]
        .filter((row) => row.userId === userId && (options.unreadOnly !== true || row.readAt === null))
        .reverse()
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      return copyOut(options.limit === undefined ? rows : rows.slice(0, Math.max(0, options.limit)));
    },
    async markRead(userId, id, at) {
      return write((draft) => {
        const row = requireOwned(draft.notifications, userId, id, 'Notification');
        // The first read is the one that counts; marking again changes nothing.
        const next: Notification = row.readAt === null ? { ...row, readAt: new Date(at) } : row;
        draft.notifications.set(id, next);
        return copyOut(next);
      });
    },
  };
}
