import { z } from 'zod';

// The server POSTs to the endpoint, so a user must not be able to point it at this machine or its
// network: hosts that are IP literals or local names are refused (push services use DNS names).
const localHost = /^(localhost|.*\.localhost|.*\.local|.*\.internal|.*\.home\.arpa)$/i;
function isPublicHostName(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    // Not a URL at all: the url check reports that.
    return true;
  }
  const ipLiteral = /^\[.*\]$/.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || /^\d+$/.test(host);
  return host.includes('.') && !ipLiteral && !localHost.test(host);
}

/**
 * A browser's push subscription as `PushSubscription.toJSON()` gives it: an https endpoint on a
 * public host name and the base64url keys (`p256dh` a 65-byte uncompressed P-256 point, `auth` 16
 * bytes). `expirationTime` is accepted and dropped.
 */
export const pushSubscriptionSchema = z
  .object({
    endpoint: z
      .url({ protocol: /^https$/, error: 'Must be an https URL' })
      .max(2048)
      .refine(isPublicHostName, { message: 'Must be on a public host name, not an address or a local name' }),
    expirationTime: z.number().nullable().optional(),
    keys: z
      .object({
        p256dh: z
          .string()
          .regex(/^B[A-Za-z0-9_-]{86}=?$/, { message: 'Must be a base64url uncompressed P-256 public key' }),
        auth: z.string().regex(/^[A-Za-z0-9_-]{22}(==)?$/, { message: 'Must be 16 bytes in base64url' }),
      })
      .strict(),
  })
  .strict();
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

/** A push subscription as finkit keeps it: the endpoint and its keys. */
export interface PushSubscriptionRecord {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
