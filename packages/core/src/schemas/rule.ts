import { z } from 'zod';
import { patternProblem } from '../validation/pattern-problem.js';
import { idSchema, minorUnitsSchema, timestampSchema, userIdSchema } from './common.js';
import { tagSchema } from './transaction.js';

const textOps = z.enum(['contains', 'equals', 'starts_with', 'ends_with', 'matches']);

export const ruleConditionSchema = z.discriminatedUnion('field', [
  z.object({
    field: z.enum(['description', 'merchantName', 'providerCategory']),
    op: textOps,
    value: z.string().min(1).max(500),
    caseSensitive: z.boolean().default(false),
  }),
  z.object({
    field: z.literal('amount'),
    op: z.enum(['gt', 'gte', 'lt', 'lte', 'eq', 'between']),
    /** Compared with the absolute amount in minor units, so "over $50" reads naturally. */
    value: minorUnitsSchema,
    max: minorUnitsSchema.optional(),
  }),
  z.object({ field: z.literal('sign'), op: z.literal('is'), value: z.enum(['outflow', 'inflow']) }),
  z.object({ field: z.literal('accountId'), op: z.enum(['in', 'not_in']), value: z.array(idSchema).min(1) }),
  z.object({
    field: z.literal('dayOfMonth'),
    op: z.enum(['eq', 'between']),
    value: z.number().int().min(1).max(31),
    max: z.number().int().min(1).max(31).optional(),
  }),
]);
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export const ruleActionsSchema = z
  .object({
    categoryId: idSchema,
    merchantName: z.string().trim().min(1).max(200),
    addTags: z.array(tagSchema).min(1),
    hidden: z.boolean(),
  })
  .partial()
  .refine((a) => Object.keys(a).length > 0, { message: 'A rule needs at least one action' });
export type RuleActions = z.infer<typeof ruleActionsSchema>;

export const ruleStageSchema = z.enum(['pre', 'default', 'post']);

export const ruleSchema = z.object({
  id: idSchema,
  userId: userIdSchema,
  name: z.string().min(1).max(100),
  enabled: z.boolean(),
  stage: ruleStageSchema,
  /** Lower runs first within a stage; ties break by creation time, then id. */
  priority: z.number().int(),
  match: z.enum(['all', 'any']),
  conditions: z.array(ruleConditionSchema).min(1).max(20),
  actions: ruleActionsSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Rule = z.infer<typeof ruleSchema>;

export const newRuleSchema = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  stage: ruleStageSchema.default('default'),
  priority: z.number().int().default(0),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z
    .array(ruleConditionSchema)
    .min(1)
    .max(20)
    // Checked when a rule is written, so a pattern that cannot run safely never reaches a sync.
    .superRefine((conditions, ctx) => {
      conditions.forEach((condition, index) => {
        if (condition.op !== 'matches') return;
        const problem = patternProblem(condition.value);
        if (problem)
          ctx.addIssue({ code: 'custom', path: [index, 'value'], message: `Pattern refused: ${problem}` });
      });
    }),
  actions: ruleActionsSchema,
});
export type NewRule = z.input<typeof newRuleSchema>;
