import { type Finkit, publicConnectionSchema } from '@finkit/core';
import { createRoute } from '@hono/zod-openapi';
import { errorResponses, idParams, itemsOf, jsonResponse, security } from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';

const tags = ['Connections'];

/** The user's bank connections with their status, so an app can ask them to log in again. */
export function registerConnectionRoutes(app: FinkitApp, finkit: Finkit): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/connections',
      tags,
      security,
      summary: 'The user’s bank connections (status, institution, last sync; never the access token)',
      responses: { 200: jsonResponse(itemsOf(publicConnectionSchema), 'Connections'), ...errorResponses },
    }),
    async (c) => c.json({ items: await finkit.connections.list(c.get('userId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connections/{id}',
      tags,
      security,
      summary: 'One bank connection',
      request: { params: idParams },
      responses: { 200: jsonResponse(publicConnectionSchema, 'Connection'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.connections.get(c.get('userId'), c.req.valid('param').id), 200),
  );
}
