import { type Finkit, newRuleSchema, ruleSchema } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  idParams,
  itemsOf,
  jsonBody,
  jsonResponse,
  noContent,
  security,
} from '../api-schemas.js';
import { previewRule } from '../preview-rule.js';
import { validationError } from '../validation-error.js';
import type { FinkitApp } from './finkit-app.js';

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
  app.openapi(
    createRoute({
      method: 'get',
      path: '/rules',
      tags,
      security,
      summary: 'The user’s categorization rules, in evaluation order',
      responses: { 200: jsonResponse(itemsOf(ruleSchema), 'Rules'), ...errorResponses },
    }),
    async (c) => c.json({ items: await finkit.rules.list(c.get('userId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/rules',
      tags,
      security,
      summary: 'Create a rule',
      request: { body: jsonBody(newRuleSchema) },
      responses: { 201: jsonResponse(ruleSchema, 'Created'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.rules.create(c.get('userId'), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/rules/{id}',
      tags,
      security,
      summary: 'One rule',
      request: { params: idParams },
      responses: { 200: jsonResponse(ruleSchema, 'Rule'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.rules.get(c.get('userId'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/rules/{id}',
      tags,
      security,
      summary: 'Replace a rule (omitted fields take their defaults)',
      request: { params: idParams, body: jsonBody(newRuleSchema) },
      responses: { 200: jsonResponse(ruleSchema, 'Replaced'), ...errorResponses },
    }),
    async (c) =>
      c.json(await finkit.rules.update(c.get('userId'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/rules/{id}',
      tags,
      security,
      summary: 'Delete a rule',
      request: { params: idParams },
      responses: { 204: noContent, ...errorResponses },
    }),
    async (c) => {
      await finkit.rules.delete(c.get('userId'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

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
