import { z } from 'zod';
import {
  currencySchema,
  fieldSourceSchema,
  idSchema,
  isoDateSchema,
  minorUnitsSchema,
  timestampSchema,
  userIdSchema,
} from './common.js';

/** Plaid's personal finance category (v1 or v2), as the provider sent it. */
export const providerCategorySchema = z.object({
  primary: z.string(),
  detailed: z.string(),
  confidenceLevel: z.string().nullable(),
  version: z.enum(['v1', 'v2']).nullable(),
});
export type ProviderCategory = z.infer<typeof providerCategorySchema>;

/** The fields a user can edit; each records the source of its current value. */
export const editableFields = ['categoryId', 'merchantName', 'notes', 'tags', 'hidden'] as const;
export type EditableField = (typeof editableFields)[number];
export const fieldSourcesSchema = z.partialRecord(z.enum(editableFields), fieldSourceSchema);
export type FieldSources = z.infer<typeof fieldSourcesSchema>;

export const tagSchema = z.string().trim().min(1).max(64);

export const transactionSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  connectionId: idSchema,
  accountId: idSchema,
  /** The provider's id; unique within a connection. */
  providerTransactionId: z.string().min(1),
  /** For a posted transaction: the provider id of the pending one it replaced. */
  pendingTransactionId: z.string().nullable(),
  /** Calendar date the transaction posted (or, while pending, occurred). */
  date: isoDateSchema,
  authorizedDate: isoDateSchema.nullable(),
  /** Signed minor units: negative is money out of the account. */
  amount: minorUnitsSchema,
  currency: currencySchema,
  /** The raw descriptor from the bank, e.g. `SQ *BLUE BOTTLE COFFEE OAKLAND CA`. */
  description: z.string(),
  merchantName: z.string().nullable(),
  pending: z.boolean(),
  categoryId: idSchema,
  /** 0..1; how sure the source of the category is. 1 for user edits. */
  categoryConfidence: z.number().min(0).max(1),
  /** One line a person can read: "rule 'Coffee'", "Plaid: FOOD_AND_DRINK_COFFEE". */
  categoryExplanation: z.string(),
  providerCategory: providerCategorySchema.nullable(),
  notes: z.string().nullable(),
  tags: z.array(tagSchema),
  hidden: z.boolean(),
  sources: fieldSourcesSchema,
  /** Set when the provider removed the transaction; removed rows leave lists and totals. */
  removedAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Transaction = z.infer<typeof transactionSchema>;

/** A user's edit of a transaction (PATCH). Every field given is recorded with source `user`. */
export const transactionEditSchema = z
  .object({
    categoryId: idSchema,
    merchantName: z.string().trim().min(1).max(200).nullable(),
    notes: z.string().max(2000).nullable(),
    tags: z.array(tagSchema).max(50),
    hidden: z.boolean(),
  })
  .partial()
  .strict();
export type TransactionEdit = z.infer<typeof transactionEditSchema>;

export const transactionFilterSchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    accountIds: z.array(idSchema),
    connectionId: idSchema,
    categoryIds: z.array(idSchema),
    /** Inclusive bounds on the signed amount in minor units. */
    minAmount: minorUnitsSchema,
    maxAmount: minorUnitsSchema,
    /** Case-insensitive substring of description, merchant name or notes. */
    text: z.string().min(1).max(200),
    pending: z.boolean(),
    /** Rows having every one of these tags. */
    tags: z.array(tagSchema),
    includeHidden: z.boolean(),
  })
  .partial();
export type TransactionFilter = z.infer<typeof transactionFilterSchema>;
