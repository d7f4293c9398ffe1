import { z } from 'zod';
import { idSchema } from '../schemas/common.js';
import type { Notification } from '../schemas/notification.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';

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

/** The user's in-app notifications. */
export interface NotificationsApi {
  /** Newest first. @throws VALIDATION for a limit outside 1..500. */
  list(userId: string, options?: NotificationListOptions): Promise<Notification[]>;
  /**
   * Marks one notification read and returns it; marking it again keeps the first read time.
   * @throws NOT_FOUND when it is not the user's.
   */
  markRead(userId: string, id: string): Promise<Notification>;
}

export function createNotificationsApi({ store, clock }: FinkitContext): NotificationsApi {
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
  };
}
