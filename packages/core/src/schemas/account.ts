import { z } from 'zod';
import { currencySchema, idSchema, minorUnitsSchema, timestampSchema, userIdSchema } from './common.js';

export const accountTypeSchema = z.enum(['depository', 'credit', 'loan', 'investment', 'other']);

export const balancesSchema = z.object({
  /** Money in the account (or owed, for credit and loans), in minor units. */
  current: minorUnitsSchema.nullable(),
  available: minorUnitsSchema.nullable(),
  limit: minorUnitsSchema.nullable(),
  currency: currencySchema,
  asOf: timestampSchema,
});
export type Balances = z.infer<typeof balancesSchema>;

export const accountSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  connectionId: idSchema,
  providerAccountId: z.string().min(1),
  name: z.string(),
  officialName: z.string().nullable(),
  type: accountTypeSchema,
  subtype: z.string().nullable(),
  mask: z.string().nullable(),
  currency: currencySchema,
  balances: balancesSchema,
  /** Set when the provider stops reporting the account or the connection is removed. */
  closedAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Account = z.infer<typeof accountSchema>;
