import { categorySchema, type Finkit, newCategorySchema } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  idParam,
  idParams,
  jsonBody,
  jsonResponse,
  noContent,
  security,
} from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';
import { registerCrudRoutes } from './register-crud-routes.js';

const tags = ['Categories'];

const renameRequest = z.object({ name: z.string().trim().min(1).max(100) }).strict();
const deleteQuery = z.object({
  reassignTo: idParam
    .optional()
    .openapi({ description: 'Where its transactions and rules go; default uncategorized' }),
});

export function registerCategoryRoutes(app: FinkitApp, finkit: Finkit): void {
  // A category is renamed rather than replaced, and deleting one reassigns what it held,
  // so those routes are this module's own.
  registerCrudRoutes(app, {
    tag: 'Categories',
    noun: 'Category',
    path: '/categories',
    item: categorySchema,
    input: newCategorySchema,
    list: {
      summary: 'The default categories and the user’s own',
      run: (userId) => finkit.categories.list(userId),
    },
    create: { summary: 'Create a category', run: (userId, input) => finkit.categories.create(userId, input) },
  });

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
