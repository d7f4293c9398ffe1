import {
  type Finkit,
  FinkitError,
  NOTIFICATIONS_MAX_LIMIT,
  notificationPreferencesUpdateSchema,
  notificationSchema,
  pushSubscriptionSchema,
  versionedNotificationPreferencesSchema,
} from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  errorSchema,
  idParams,
  itemsOf,
  jsonBody,
  jsonResponse,
  noContent,
  security,
} from '../api-schemas.js';
import { validationError } from '../validation-error.js';
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

const storedSubscription = z.object({
  endpoint: z.string(),
  keys: z.object({ p256dh: z.string(), auth: z.string() }),
});
const endpointField = z.string().min(1).max(2048);
const endpointQuery = z.object({
  endpoint: endpointField
    .optional()
    .openapi({ param: { name: 'endpoint', in: 'query' }, description: 'The subscription’s endpoint URL' }),
});
const endpointBody = z.object({ endpoint: endpointField }).strict();

/**
 * The acting user's notifications: `GET /notifications`, `POST /notifications/{id}/read`, and the
 * browser push subscriptions under `/notifications/push-subscriptions` and the user's preferences
 * at `/notifications/preferences`.
 */
export function registerNotificationRoutes(
  app: FinkitApp,
  finkit: Finkit,
  webPush: { publicKey: string } | null,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/notifications/push-subscriptions/public-key',
      tags,
      security,
      summary: 'The VAPID public key a browser subscribes with (501 when web push is not configured)',
      responses: {
        200: jsonResponse(z.object({ publicKey: z.string() }), 'The applicationServerKey, base64url'),
        ...errorResponses,
        501: jsonResponse(errorSchema, 'Web push is not configured (CAPABILITY_UNAVAILABLE)'),
      },
    }),
    async (c) => {
      if (webPush === null) {
        throw new FinkitError(
          'CAPABILITY_UNAVAILABLE',
          'Web push is not configured: pass webPush.publicKey to createFinkitApp',
        );
      }
      return c.json({ publicKey: webPush.publicKey }, 200);
    },
  );

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

  app.openapi(
    createRoute({
      method: 'post',
      path: '/notifications/push-subscriptions',
      tags,
      security,
      summary:
        'Subscribe a browser to web push (body: PushSubscription.toJSON(); same endpoint replaces, and moves it from another user)',
      request: { body: jsonBody(pushSubscriptionSchema) },
      responses: { 201: jsonResponse(storedSubscription, 'Stored'), ...errorResponses },
    }),
    async (c) =>
      c.json(await finkit.notifications.addPushSubscription(c.get('userId'), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/notifications/push-subscriptions',
      tags,
      security,
      summary: 'Unsubscribe a browser from web push: the endpoint in the body or the query',
      request: { query: endpointQuery, body: { ...jsonBody(endpointBody), required: false } },
      responses: { 204: noContent, ...errorResponses },
    }),
    async (c) => {
      const endpoint = c.req.valid('json')?.endpoint ?? c.req.valid('query').endpoint;
      if (endpoint === undefined) {
        throw validationError('query', [
          { path: ['endpoint'], message: 'Required in the body or the query' },
        ]);
      }
      await finkit.notifications.removePushSubscription(c.get('userId'), endpoint);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/notifications/preferences',
      tags,
      security,
      summary:
        'The user’s notification preferences (their own choices over the app’s defaults) and their version',
      responses: {
        200: jsonResponse(versionedNotificationPreferencesSchema, 'Preferences'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await finkit.notifications.preferences(c.get('userId')), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/notifications/preferences',
      tags,
      security,
      summary:
        'Change notification preferences: the fields given replace the current ones (each whole); with `version`, only if unchanged since that version was read',
      // The version rides in the body, not an If-Match header: the API is JSON in and out, and a
      // GET response sent back whole (edited) is then a valid PUT.
      request: { body: jsonBody(notificationPreferencesUpdateSchema) },
      responses: {
        200: jsonResponse(versionedNotificationPreferencesSchema, 'Preferences after, with the new version'),
        ...errorResponses,
        409: jsonResponse(
          errorSchema,
          'CONFLICT: `version` is stale (another update came first); `details.version` is the current one',
        ),
      },
    }),
    async (c) =>
      c.json(await finkit.notifications.updatePreferences(c.get('userId'), c.req.valid('json')), 200),
  );
}
