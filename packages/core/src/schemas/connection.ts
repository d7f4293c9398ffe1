import { z } from 'zod';
import { idSchema, timestampSchema, userIdSchema } from './common.js';

export const connectionStatusSchema = z.enum(['active', 'reauth_required', 'error', 'removed']);
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

/** A link to one login at one institution (a Plaid Item). */
export const connectionSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  provider: z.string().min(1),
  /** The provider's id for the link (Plaid `item_id`). */
  providerItemId: z.string().min(1),
  institutionId: z.string().nullable(),
  institutionName: z.string().nullable(),
  status: connectionStatusSchema,
  /** The provider access token, encrypted by the TokenCipher. Never leaves the server. */
  encryptedAccessToken: z.string().min(1),
  /** The provider's sync cursor after the last applied batch; null before the first sync. */
  cursor: z.string().nullable(),
  lastSyncedAt: timestampSchema.nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: timestampSchema }).nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Connection = z.infer<typeof connectionSchema>;

/** What is safe to show a client: everything but the token. */
export const publicConnectionSchema = connectionSchema.omit({ encryptedAccessToken: true });
export type PublicConnection = z.infer<typeof publicConnectionSchema>;

export function toPublicConnection(connection: Connection): PublicConnection {
  const { encryptedAccessToken: _token, ...rest } = connection;
  return rest;
}
