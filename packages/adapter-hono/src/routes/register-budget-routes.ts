import { budgetSchema, type Finkit, newBudgetSchema } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, idParams, jsonResponse, security } from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';
import { registerCrudRoutes } from './register-crud-routes.js';

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
  registerCrudRoutes(app, {
    tag: 'Budgets',
    noun: 'Budget',
    path: '/budgets',
    item: budgetSchema,
    input: newBudgetSchema,
    list: { summary: 'The user’s budgets', run: (userId) => finkit.budgets.list(userId) },
    create: { summary: 'Create a budget', run: (userId, input) => finkit.budgets.create(userId, input) },
    get: { summary: 'One budget', run: (userId, id) => finkit.budgets.get(userId, id) },
    replace: {
      summary: 'Replace a budget (omitted fields take their defaults; the currency cannot change)',
      run: (userId, id, input) => finkit.budgets.update(userId, id, input),
    },
    delete: { summary: 'Delete a budget', run: (userId, id) => finkit.budgets.delete(userId, id) },
  });

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
