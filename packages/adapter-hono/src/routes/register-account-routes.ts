import { accountSchema, type Finkit, idSchema, publicConnectionSchema } from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  idParams,
  itemsOf,
  jsonBody,
  jsonResponse,
  noContent,
  providerErrorResponses,
  security,
} from '../api-schemas.js';
import type { FinkitApp } from './finkit-app.js';

const tags = ['Accounts'];

const linkTokenRequest = z.object({ connectionId: idSchema.optional() }).strict();
const linkTokenResponse = z.object({ linkToken: z.string(), expiration: z.string() });
const linkRequest = z.object({ publicToken: z.string().min(1).max(1000) }).strict();
const linkResponse = z.object({ connection: publicConnectionSchema, accounts: z.array(accountSchema) });
const listQuery = z.object({
  connectionId: idSchema.optional(),
  includeClosed: z.enum(['true', 'false']).optional(),
});
const syncResponse = z.object({
  connectionId: z.string(),
  added: z.number().int(),
  modified: z.number().int(),
  removed: z.number().int(),
  pages: z.number().int(),
  restarts: z.number().int(),
});

export function registerAccountRoutes(app: FinkitApp, finkit: Finkit): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/accounts/link-token',
      tags,
      security,
      summary: 'A link token for the provider’s UI (with connectionId: update mode, to log in again)',
      request: { body: { ...jsonBody(linkTokenRequest), required: false } },
      responses: { 200: jsonResponse(linkTokenResponse, 'Link token'), ...providerErrorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? {};
      const result = await finkit.connections.createLinkToken(
        c.get('userId'),
        body.connectionId ? { connectionId: body.connectionId } : {},
      );
      return c.json({ linkToken: result.linkToken, expiration: result.expiration }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/accounts/link',
      tags,
      security,
      summary: 'Exchange the provider UI’s public token; stores the connection and accounts, starts a sync',
      request: { body: jsonBody(linkRequest) },
      responses: { 201: jsonResponse(linkResponse, 'Linked'), ...providerErrorResponses },
    }),
    async (c) => {
      const { publicToken } = c.req.valid('json');
      const result = await finkit.connections.link(c.get('userId'), publicToken);
      // The first sync runs on; its failure is recorded on the connection and reaches the
      // client as a connection.error event, so the link itself has succeeded.
      result.initialSync?.catch(() => {});
      return c.json({ connection: result.connection, accounts: result.accounts }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/accounts',
      tags,
      security,
      summary: 'The user’s accounts',
      request: { query: listQuery },
      responses: { 200: jsonResponse(itemsOf(accountSchema), 'Accounts'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const items = await finkit.accounts.list(c.get('userId'), {
        ...(query.connectionId ? { connectionId: query.connectionId } : {}),
        includeClosed: query.includeClosed === 'true',
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/accounts/{id}',
      tags,
      security,
      summary: 'One account',
      request: { params: idParams },
      responses: { 200: jsonResponse(accountSchema, 'Account'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.accounts.get(c.get('userId'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/accounts/{id}/balance',
      tags,
      security,
      summary: 'The real-time balance, fetched from the provider and stored',
      request: { params: idParams },
      responses: {
        200: jsonResponse(accountSchema, 'Account with fresh balances'),
        ...providerErrorResponses,
      },
    }),
    async (c) => c.json(await finkit.accounts.refreshBalance(c.get('userId'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/accounts/{id}/sync',
      tags,
      security,
      summary: 'Sync now: resolves when the account’s connection is up to date',
      request: { params: idParams },
      responses: { 200: jsonResponse(syncResponse, 'What the sync changed'), ...providerErrorResponses },
    }),
    async (c) => {
      const userId = c.get('userId');
      const account = await finkit.accounts.get(userId, c.req.valid('param').id);
      return c.json(await finkit.connections.sync(userId, account.connectionId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/accounts/{id}',
      tags,
      security,
      summary: 'Unlink the account’s connection at the provider; its accounts are closed',
      request: { params: idParams },
      responses: { 204: noContent, ...providerErrorResponses },
    }),
    async (c) => {
      const userId = c.get('userId');
      const account = await finkit.accounts.get(userId, c.req.valid('param').id);
      await finkit.connections.unlink(userId, account.connectionId);
      return c.body(null, 204);
    },
  );
}
