import { type Finkit, NOTIFICATIONS_MAX_LIMIT, notificationSchema } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, idParams, itemsOf, jsonResponse, security } from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';

const tags = ['Notifications'];

const listQuery = z.object({
  unreadOnly: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ param: { name: 'unreadOnly', in: 'query' }, description: 'Only unread notifications' }),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { message: `Must be an integer from 1 to ${NOTIFICATIONS_MAX_LIMIT}` })
    .optional()
    .openapi({
      param: { name: 'limit', in: 'query' },
      description: `At most this many, 1 to ${NOTIFICATIONS_MAX_LIMIT}; default 50`,
    }),
});

/** `GET /notifications` and `POST /notifications/{id}/read`: the acting user's in-app notifications. */
export function registerNotificationRoutes(app: FinkitApp, finkit: Finkit): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/notifications',
      tags,
      security,
      summary: 'The user’s in-app notifications, newest first',
      request: { query: listQuery },
      responses: { 200: jsonResponse(itemsOf(notificationSchema), 'Notifications'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const items = await finkit.notifications.list(c.get('userId'), {
        unreadOnly: query.unreadOnly === 'true',
        // The facade checks the range, so a bad limit gets the same VALIDATION error everywhere.
        ...(query.limit === undefined ? {} : { limit: Number(query.limit) }),
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/notifications/{id}/read',
      tags,
      security,
      summary: 'Mark a notification read (marking again keeps the first read time)',
      request: { params: idParams },
      responses: { 200: jsonResponse(notificationSchema, 'The notification, read'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.notifications.markRead(c.get('userId'), c.req.valid('param').id), 200),
  );
}
