import { z } from 'zod';
import { idSchema, timestampSchema, userIdSchema } from './common.js';

/** The categories every user starts with. Ids are stable and shared by all users. */
export const defaultCategories = [
  { id: 'food_and_dining', name: 'Food & Dining', kind: 'expense' },
  { id: 'shopping', name: 'Shopping', kind: 'expense' },
  { id: 'transportation', name: 'Transportation', kind: 'expense' },
  { id: 'bills_and_utilities', name: 'Bills & Utilities', kind: 'expense' },
  { id: 'entertainment', name: 'Entertainment', kind: 'expense' },
  { id: 'healthcare', name: 'Healthcare', kind: 'expense' },
  { id: 'travel', name: 'Travel', kind: 'expense' },
  { id: 'personal_care', name: 'Personal Care', kind: 'expense' },
  { id: 'education', name: 'Education', kind: 'expense' },
  { id: 'income', name: 'Income', kind: 'income' },
  { id: 'transfer', name: 'Transfer', kind: 'transfer' },
  { id: 'uncategorized', name: 'Uncategorized', kind: 'expense' },
] as const;

export type DefaultCategoryId = (typeof defaultCategories)[number]['id'];
export const UNCATEGORIZED: DefaultCategoryId = 'uncategorized';

/** Income and transfers never count as spending in budgets. */
export const categoryKindSchema = z.enum(['expense', 'income', 'transfer']);
export type CategoryKind = z.infer<typeof categoryKindSchema>;

export const categorySchema = z.object({
  id: idSchema,
  /** null for the built-in defaults, which every user sees. */
  userId: userIdSchema.nullable(),
  name: z.string().min(1).max(100),
  kind: categoryKindSchema,
  /** A user-defined category may sit under a default or another user category. */
  parentId: idSchema.nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Category = z.infer<typeof categorySchema>;

export const newCategorySchema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: categoryKindSchema.default('expense'),
  parentId: idSchema.nullable().default(null),
});
export type NewCategory = z.input<typeof newCategorySchema>;
