import {
  type Finkit,
  goalContributionSchema,
  goalSchema,
  newGoalContributionSchema,
  newGoalSchema,
} from '@finkit/core';
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
  app.openapi(
    createRoute({
      method: 'get',
      path: '/goals',
      tags,
      security,
      summary: 'The user’s savings goals',
      responses: { 200: jsonResponse(itemsOf(goalSchema), 'Goals'), ...errorResponses },
    }),
    async (c) => c.json({ items: await finkit.goals.list(c.get('userId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/goals',
      tags,
      security,
      summary: 'Create a goal',
      request: { body: jsonBody(newGoalSchema) },
      responses: { 201: jsonResponse(goalSchema, 'Created'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.goals.create(c.get('userId'), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/goals/{id}',
      tags,
      security,
      summary: 'One goal',
      request: { params: idParams },
      responses: { 200: jsonResponse(goalSchema, 'Goal'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.goals.get(c.get('userId'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/goals/{id}',
      tags,
      security,
      summary: 'Replace a goal (omitted fields take their defaults)',
      request: { params: idParams, body: jsonBody(newGoalSchema) },
      responses: { 200: jsonResponse(goalSchema, 'Replaced'), ...errorResponses },
    }),
    async (c) =>
      c.json(await finkit.goals.update(c.get('userId'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/goals/{id}',
      tags,
      security,
      summary: 'Delete a goal and its contributions',
      request: { params: idParams },
      responses: { 204: noContent, ...errorResponses },
    }),
    async (c) => {
      await finkit.goals.delete(c.get('userId'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

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
