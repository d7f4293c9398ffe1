import { z } from 'zod';
import { isCurrencyCode } from '../money/currency.js';

export const idSchema = z.string().min(1).max(128);
export const userIdSchema = z.string().min(1).max(256);

/** A calendar date, `YYYY-MM-DD`, that exists (no 2024-02-30). */
export const isoDateSchema = z.iso.date();
export const timestampSchema = z.date();

export const currencySchema = z
  .string()
  .refine(isCurrencyCode, { message: 'Must be an ISO 4217 currency code such as USD' });

/** Integer minor units; never a float. */
export const minorUnitsSchema = z.number().int().refine(Number.isSafeInteger, {
  message: 'Must be a safe integer of minor units',
});

export const moneySchema = z.object({ amount: minorUnitsSchema, currency: currencySchema });

/**
 * Where a field's current value came from. A `user` value is never overwritten by sync,
 * rules or models, and is carried from a pending transaction to its posted one.
 */
export const fieldSourceSchema = z.enum(['user', 'rule', 'learned', 'provider', 'model']);
export type FieldSource = z.infer<typeof fieldSourceSchema>;
