import { categorySchema, type Finkit, newCategorySchema } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  idParam,
  idParams,
  itemsOf,
  jsonBody,
  jsonResponse,
  noContent,
  security,
} from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';

const tags = ['Categories'];

const renameRequest = z.object({ name: z.string().trim().min(1).max(100) }).strict();
const deleteQuery = z.object({
  reassignTo: idParam
    .optional()
    .openapi({ description: 'Where its transactions and rules go; default uncategorized' }),
});

export function registerCategoryRoutes(app: FinkitApp, finkit: Finkit): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/categories',
      tags,
      security,
      summary: 'The default categories and the user’s own',
      responses: { 200: jsonResponse(itemsOf(categorySchema), 'Categories'), ...errorResponses },
    }),
    async (c) => c.json({ items: await finkit.categories.list(c.get('userId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/categories',
      tags,
      security,
      summary: 'Create a category',
      request: { body: jsonBody(newCategorySchema) },
      responses: { 201: jsonResponse(categorySchema, 'Created'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.categories.create(c.get('userId'), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/categories/{id}',
      tags,
      security,
      summary: 'Rename a category of the user’s',
      request: { params: idParams, body: jsonBody(renameRequest) },
      responses: { 200: jsonResponse(categorySchema, 'Renamed'), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await finkit.categories.rename(c.get('userId'), c.req.valid('param').id, c.req.valid('json').name),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/categories/{id}',
      tags,
      security,
      summary: 'Delete a category of the user’s, moving its transactions, rules and children',
      request: { params: idParams, query: deleteQuery },
      responses: { 204: noContent, ...errorResponses },
    }),
    async (c) => {
      await finkit.categories.delete(
        c.get('userId'),
        c.req.valid('param').id,
        c.req.valid('query').reassignTo,
      );
      return c.body(null, 204);
    },
  );
}
