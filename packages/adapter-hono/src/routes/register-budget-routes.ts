import { budgetSchema, type Finkit, newBudgetSchema } from '@finkit/core';
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
import type { FinkitApp } from './finkit-app.js';

const tags = ['Budgets'];

const ignoredSpending = z.object({ currency: z.string(), spent: z.number().int(), count: z.number().int() });
const budgetProgressSchema = z.object({
  budgetId: z.string(),
  currency: z.string(),
  period: z.object({ start: z.string(), end: z.string() }),
  amount: z.number().int(),
  rolledOver: z.number().int(),
  budgeted: z.number().int(),
  spent: z.number().int(),
  remaining: z.number().int(),
  ignored: z.array(ignoredSpending),
  percentUsed: z.number().nullable(),
  daysInPeriod: z.number().int(),
  daysElapsed: z.number().int(),
  daysLeft: z.number().int(),
  dailyAllowance: z.number().int(),
  projectedSpend: z.number().int(),
  status: z.enum(['on_track', 'at_risk', 'over']),
});
const progressQuery = z.object({
  date: z
    .string()
    .optional()
    .openapi({ description: 'A date in the period wanted (YYYY-MM-DD); default today' }),
});

export function registerBudgetRoutes(app: FinkitApp, finkit: Finkit): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/budgets',
      tags,
      security,
      summary: 'The user’s budgets',
      responses: { 200: jsonResponse(itemsOf(budgetSchema), 'Budgets'), ...errorResponses },
    }),
    async (c) => c.json({ items: await finkit.budgets.list(c.get('userId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/budgets',
      tags,
      security,
      summary: 'Create a budget',
      request: { body: jsonBody(newBudgetSchema) },
      responses: { 201: jsonResponse(budgetSchema, 'Created'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.budgets.create(c.get('userId'), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/budgets/{id}',
      tags,
      security,
      summary: 'One budget',
      request: { params: idParams },
      responses: { 200: jsonResponse(budgetSchema, 'Budget'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.budgets.get(c.get('userId'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/budgets/{id}',
      tags,
      security,
      summary: 'Replace a budget (omitted fields take their defaults; the currency cannot change)',
      request: { params: idParams, body: jsonBody(newBudgetSchema) },
      responses: { 200: jsonResponse(budgetSchema, 'Replaced'), ...errorResponses },
    }),
    async (c) =>
      c.json(await finkit.budgets.update(c.get('userId'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/budgets/{id}',
      tags,
      security,
      summary: 'Delete a budget',
      request: { params: idParams },
      responses: { 204: noContent, ...errorResponses },
    }),
    async (c) => {
      await finkit.budgets.delete(c.get('userId'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/budgets/{id}/progress',
      tags,
      security,
      summary: 'Spent, remaining, pace and status for the current (or a given) period',
      request: { params: idParams, query: progressQuery },
      responses: { 200: jsonResponse(budgetProgressSchema, 'Progress in minor units'), ...errorResponses },
    }),
    async (c) => {
      const { date } = c.req.valid('query');
      const progress = await finkit.budgets.progress(
        c.get('userId'),
        c.req.valid('param').id,
        date === undefined ? {} : { date },
      );
      return c.json(progress, 200);
    },
  );
}
