import type { NotificationChannel, OutgoingNotification } from '@finkit/core';

/** Who a message goes to, resolved from the user's preferences. */
export interface Recipient {
  userId: string;
  email: string | null;
  phone: string | null;
  locale: string;
  timeZone: string;
}

export interface ChannelMessage {
  notification: OutgoingNotification;
  recipient: Recipient;
  /** The HTML body for channels that show HTML (email); plain `notification.body` otherwise. */
  html: string;
  /**
   * Stable for one user, dedupe key and channel: channels hand it to receivers that can drop
   * repeats (webhook `Idempotency-Key`, SendGrid `custom_args`, the email Message-ID, push Topic).
   */
  idempotencyKey: string;
}

/**
 * One way of reaching users. `deliver` sends once and resolves when the receiver accepted the
 * message; it throws a `deliveryFailure` (see delivery-failure.ts) saying whether a retry can help.
 */
export interface DeliveryChannel {
  readonly kind: NotificationChannel;
  /** Whether the user can be reached at all (an address, a subscription); unreachable channels are skipped. */
  reaches(recipient: Recipient): Promise<boolean>;
  deliver(message: ChannelMessage): Promise<void>;
  /** Releases sockets and pools. */
  close(): Promise<void>;
}
