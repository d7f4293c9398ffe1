import { type Finkit, newRuleSchema, ruleSchema } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, idParams, jsonResponse, security } from '../api-schemas.js';
import { previewRule } from '../preview-rule.js';
import { validationError } from '../validation-error.js';
import type { FinkitApp } from './finkit-app.js';
import { registerCrudRoutes } from './register-crud-routes.js';

const tags = ['Rules'];

const previewQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { message: 'Must be an integer from 1 to 1000' })
    .optional()
    .openapi({ description: 'Changes listed, 1–1000, default 100' }),
});
const change = z.object({ from: z.unknown(), to: z.unknown() });
const previewResponse = z.object({
  matched: z.number().int(),
  changed: z.number().int(),
  items: z.array(
    z.object({
      transactionId: z.string(),
      date: z.string(),
      description: z.string(),
      amount: z.number().int(),
      currency: z.string(),
      changes: z.object({
        categoryId: change.optional(),
        merchantName: change.optional(),
        hidden: change.optional(),
        tags: change.optional(),
      }),
    }),
  ),
});

export function registerRuleRoutes(app: FinkitApp, finkit: Finkit): void {
  registerCrudRoutes(app, {
    tag: 'Rules',
    noun: 'Rule',
    path: '/rules',
    item: ruleSchema,
    input: newRuleSchema,
    list: {
      summary: 'The user’s categorization rules, in evaluation order',
      run: (userId) => finkit.rules.list(userId),
    },
    create: { summary: 'Create a rule', run: (userId, input) => finkit.rules.create(userId, input) },
    get: { summary: 'One rule', run: (userId, id) => finkit.rules.get(userId, id) },
    replace: {
      summary: 'Replace a rule (omitted fields take their defaults)',
      run: (userId, id, input) => finkit.rules.update(userId, id, input),
    },
    delete: { summary: 'Delete a rule', run: (userId, id) => finkit.rules.delete(userId, id) },
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/rules/{id}/preview',
      tags,
      security,
      summary: 'Which transactions this rule would change if applied now (user-set fields excluded)',
      request: { params: idParams, query: previewQuery },
      responses: { 200: jsonResponse(previewResponse, 'Matches and changes'), ...errorResponses },
    }),
    async (c) => {
      const { limit } = c.req.valid('query');
      const n = limit === undefined ? 100 : Number(limit);
      if (n < 1 || n > 1000) {
        throw validationError('query', [{ path: ['limit'], message: 'Must be an integer from 1 to 1000' }]);
      }
      return c.json(await previewRule(finkit, c.get('userId'), c.req.valid('param').id, n), 200);
    },
  );
}
