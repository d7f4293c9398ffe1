import type { Finkit } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema, jsonResponse } from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';

const outcomeSchema = z.object({
  action: z.enum(['ignored', 'sync', 'status']),
  connectionId: z.string().nullable(),
});

export function registerWebhookRoutes(app: FinkitApp, finkit: Finkit): void {
  // Documented only: a validator would read and re-encode the body, but the signature covers the
  // exact bytes, so the handler passes them on raw.
  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/webhooks/plaid',
      tags: ['Webhooks'],
      summary: 'Plaid webhooks; no user token, but rejected unless Plaid’s signature verifies',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({}).passthrough() } },
        },
      },
      responses: {
        200: jsonResponse(outcomeSchema, 'Accepted'),
        401: jsonResponse(errorSchema, 'Signature did not verify (WEBHOOK_VERIFICATION)'),
        413: jsonResponse(errorSchema, 'Too large (PAYLOAD_TOO_LARGE)'),
      },
    }),
  );
  app.post('/webhooks/plaid', async (c) => {
    const rawBody = await c.req.text();
    const outcome = await finkit.webhooks.handle(rawBody, c.req.header());
    // Plaid wants a quick answer; a sync it triggered runs on (its `done` never rejects).
    return c.json({ action: outcome.action, connectionId: outcome.connectionId }, 200);
  });
}
