import {
  type Finkit,
  goalContributionSchema,
  goalSchema,
  newGoalContributionSchema,
  newGoalSchema,
} from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, idParams, itemsOf, jsonBody, jsonResponse, security } from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';
import { registerCrudRoutes } from './register-crud-routes.js';

const tags = ['Goals'];

const goalProgressSchema = z.object({
  goalId: z.string(),
  currency: z.string(),
  source: z.enum(['account', 'contributions']),
  current: z.number().int(),
  target: z.number().int(),
  remaining: z.number().int(),
  percent: z.number(),
  status: z.enum(['reached', 'on_track', 'off_track', 'overdue', 'no_target_date']),
  monthsRemaining: z.number().int().nullable(),
  requiredMonthlyContribution: z.number().int().nullable(),
  monthlyPace: z.number(),
  projectedCompletionDate: z.string().nullable(),
  monthsToCompletion: z.number().int().nullable(),
  series: z.array(z.object({ date: z.string(), balance: z.number().int() })),
});
const projectionQuery = z.object({
  timezone: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: 'IANA zone deciding “today”; default UTC' }),
});

export function registerGoalRoutes(app: FinkitApp, finkit: Finkit): void {
  registerCrudRoutes(app, {
    tag: 'Goals',
    noun: 'Goal',
    path: '/goals',
    item: goalSchema,
    input: newGoalSchema,
    list: { summary: 'The user’s savings goals', run: (userId) => finkit.goals.list(userId) },
    create: { summary: 'Create a goal', run: (userId, input) => finkit.goals.create(userId, input) },
    get: { summary: 'One goal', run: (userId, id) => finkit.goals.get(userId, id) },
    replace: {
      summary: 'Replace a goal (omitted fields take their defaults)',
      run: (userId, id, input) => finkit.goals.update(userId, id, input),
    },
    delete: {
      summary: 'Delete a goal and its contributions',
      run: (userId, id) => finkit.goals.delete(userId, id),
    },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/goals/{id}/projections',
      tags,
      security,
      summary: 'Progress, required monthly contribution, completion at the current pace, series',
      request: { params: idParams, query: projectionQuery },
      responses: { 200: jsonResponse(goalProgressSchema, 'Progress and projection'), ...errorResponses },
    }),
    async (c) => {
      const { timezone } = c.req.valid('query');
      const progress = await finkit.goals.progress(
        c.get('userId'),
        c.req.valid('param').id,
        timezone === undefined ? {} : { timezone },
      );
      return c.json(progress, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/goals/{id}/progress',
      tags,
      security,
      summary: 'Add a manual contribution (positive) or withdrawal (negative)',
      request: { params: idParams, body: jsonBody(newGoalContributionSchema) },
      responses: { 201: jsonResponse(goalContributionSchema, 'Recorded'), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await finkit.goals.contribute(c.get('userId'), c.req.valid('param').id, c.req.valid('json')),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/goals/{id}/contributions',
      tags,
      security,
      summary: 'The goal’s manual contributions, oldest first',
      request: { params: idParams },
      responses: { 200: jsonResponse(itemsOf(goalContributionSchema), 'Contributions'), ...errorResponses },
    }),
    async (c) =>
      c.json({ items: await finkit.goals.contributions(c.get('userId'), c.req.valid('param').id) }, 200),
  );
}
