import { type Finkit, newRuleSchema, ruleSchema } from '@finkit/core';
import { createRoute } from '@hono/zod-openapi';
import {
  errorResponses,
  idParams,
  itemsOf,
  jsonBody,
  jsonResponse,
  noContent,
  security,
} from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';

const tags = ['Rules'];

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
}
