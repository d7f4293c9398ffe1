import { z } from 'zod';
import {
  currencySchema,
  idSchema,
  isoDateSchema,
  minorUnitsSchema,
  timestampSchema,
  userIdSchema,
} from './common.js';

const goalFields = {
  name: z.string().trim().min(1).max(100),
  targetAmount: minorUnitsSchema.refine((n) => n > 0, { message: 'Target must be positive' }),
  currency: currencySchema,
  targetDate: isoDateSchema.nullable(),
  startingAmount: minorUnitsSchema,
  /** When set, the account's balance is the progress; otherwise contributions are. */
  linkedAccountId: idSchema.nullable(),
  /** Expected annual yield as a fraction (0.045 = 4.5%), compounded monthly. */
  annualYield: z.number().min(0).max(1),
};

export const goalSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  ...goalFields,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Goal = z.infer<typeof goalSchema>;

export const newGoalSchema = z.object({
  ...goalFields,
  targetDate: goalFields.targetDate.default(null),
  startingAmount: goalFields.startingAmount.default(0),
  linkedAccountId: goalFields.linkedAccountId.default(null),
  annualYield: goalFields.annualYield.default(0),
});
export type NewGoal = z.input<typeof newGoalSchema>;

export const goalContributionSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  goalId: idSchema,
  /** Positive adds to the goal, negative withdraws. */
  amount: minorUnitsSchema.refine((n) => n !== 0, { message: 'Contribution cannot be zero' }),
  date: isoDateSchema,
  note: z.string().max(500).nullable(),
  createdAt: timestampSchema,
});
export type GoalContribution = z.infer<typeof goalContributionSchema>;

export const newGoalContributionSchema = goalContributionSchema
  .pick({ amount: true, date: true })
  .extend({ note: z.string().max(500).nullable().default(null) });
export type NewGoalContribution = z.input<typeof newGoalContributionSchema>;
