import { z } from 'zod';
import {
  currencySchema,
  idSchema,
  isoDateSchema,
  minorUnitsSchema,
  timestampSchema,
  userIdSchema,
} from './common.js';

export const budgetPeriodSchema = z.enum(['weekly', 'monthly', 'quarterly', 'yearly']);
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;

const budgetFields = {
  name: z.string().trim().min(1).max(100),
  /** Empty means all spending. */
  categoryIds: z.array(idSchema).max(100),
  /** Per period, positive minor units. */
  amount: minorUnitsSchema.refine((n) => n > 0, { message: 'Budget amount must be positive' }),
  currency: currencySchema,
  period: budgetPeriodSchema,
  /** Day of the month a monthly/quarterly/yearly period starts (1-28). */
  periodStartDay: z.number().int().min(1).max(28),
  /** Day a weekly period starts: 0 Sunday … 6 Saturday. */
  weekStartsOn: z.number().int().min(0).max(6),
  /** IANA zone in which periods begin and end. */
  timezone: z.string().min(1),
  startDate: isoDateSchema,
  endDate: isoDateSchema.nullable(),
  rollover: z.boolean(),
  /** Percentages of the budget at which `budget.threshold_crossed` fires. */
  thresholds: z.array(z.number().int().min(1).max(1000)).max(10),
  includePending: z.boolean(),
};

export const budgetSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  ...budgetFields,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Budget = z.infer<typeof budgetSchema>;

export const newBudgetSchema = z.object({
  ...budgetFields,
  categoryIds: budgetFields.categoryIds.default([]),
  period: budgetFields.period.default('monthly'),
  periodStartDay: budgetFields.periodStartDay.default(1),
  weekStartsOn: budgetFields.weekStartsOn.default(1),
  timezone: budgetFields.timezone.default('UTC'),
  endDate: budgetFields.endDate.default(null),
  rollover: budgetFields.rollover.default(false),
  thresholds: budgetFields.thresholds.default([50, 80, 100]),
  includePending: budgetFields.includePending.default(true),
});
export type NewBudget = z.input<typeof newBudgetSchema>;
