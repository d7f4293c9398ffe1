import type { NotificationChannel } from '../schemas/notification.js';

export interface OutgoingNotification {
  userId: string;
  /** The event type, e.g. `budget.threshold_crossed`; preferences are per type. */
  type: string;
  /** Delivered at most once per user and key, across retries, restarts and processes. */
  dedupeKey: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  /** Restricts delivery to these channels; otherwise the user's preferences decide. */
  channels?: NotificationChannel[];
}

export interface NotificationResult {
  /** False when the dedupe key was already delivered (or is being delivered). */
  accepted: boolean;
  channels: NotificationChannel[];
}

/** Tells users what happened. Implementations must never let a slow channel block the caller. */
export interface Notifier {
  send(notification: OutgoingNotification): Promise<NotificationResult>;
}
