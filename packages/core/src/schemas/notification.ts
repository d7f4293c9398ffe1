import { z } from 'zod';
import { idSchema, timestampSchema, userIdSchema } from './common.js';

export const notificationChannelSchema = z.enum(['email', 'sms', 'push', 'webhook', 'in_app']);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

export const notificationSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  /** An event type such as `budget.threshold_crossed`. */
  type: z.string().min(1),
  /** Two notifications with one key are one notification: it is delivered at most once. */
  dedupeKey: z.string().min(1).max(512),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: timestampSchema,
  readAt: timestampSchema.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;
