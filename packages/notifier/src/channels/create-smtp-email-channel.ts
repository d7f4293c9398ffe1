import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { deliveryFailure } from '../delivery-failure.js';
import type { DeliveryChannel } from './delivery-channel.js';

export interface SmtpEmailChannelOptions {
  /** nodemailer SMTP options (`host`, `port`, `secure`, `auth`, `pool`...) or an `smtp://` URL. */
  transport: SMTPTransport.Options | string;
  /** The sender, e.g. `"Finkit" <alerts@example.com>`. */
  from: string;
  /** The domain of generated Message-IDs. */
  messageIdDomain?: string;
}

const transientCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

/** Email over SMTP with text and HTML bodies. */
export function createSmtpEmailChannel(options: SmtpEmailChannelOptions): DeliveryChannel {
  const transport = nodemailer.createTransport(options.transport);
  const domain = options.messageIdDomain ?? 'finkit.local';
  return {
    kind: 'email',
    async reaches(recipient) {
      return recipient.email !== null;
    },
    async deliver({ notification, recipient, html, idempotencyKey }) {
      if (recipient.email === null) {
        throw deliveryFailure(`User ${recipient.userId} has no email address`, { permanent: true });
      }
      try {
        await transport.sendMail({
          from: options.from,
          to: recipient.email,
          subject: notification.title,
          text: notification.body,
          html,
          // A resend after a crash carries the same Message-ID, so mail stores can fold duplicates.
          messageId: `<${idempotencyKey}@${domain}>`,
          headers: { 'X-Finkit-Notification-Type': notification.type },
        });
      } catch (error) {
        const { responseCode, code } = error as { responseCode?: number; code?: string };
        // 5xx replies are final (no such mailbox, rejected); 4xx and connection trouble pass.
        const permanent =
          typeof responseCode === 'number' ? responseCode >= 500 : !transientCodes.has(code ?? 'ECONNECTION');
        throw deliveryFailure(`SMTP delivery failed: ${(error as Error).message}`, {
          permanent,
          ...(responseCode === undefined ? {} : { status: responseCode }),
          cause: error,
        });
      }
    },
    async close() {
      transport.close();
    },
  };
}
