import { createRoute, type z } from '@hono/zod-openapi';
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

interface Operation<Run> {
  summary: string;
  run: Run;
}

export interface CrudRoutes<Item extends z.ZodType, Input extends z.ZodType> {
  /** Plural, e.g. `Budgets`: the OpenAPI tag and the list response's description. */
  tag: string;
  /** Singular, e.g. `Budget`: the get response's description. */
  noun: string;
  /** The collection, e.g. `/budgets`; one item is `${path}/{id}`. */
  path: `/${string}`;
  item: Item;
  /** The body of create and replace. */
  input: Input;
  list?: Operation<(userId: string) => Promise<z.output<Item>[]>>;
  create?: Operation<(userId: string, input: z.output<Input>) => Promise<z.output<Item>>>;
  get?: Operation<(userId: string, id: string) => Promise<z.output<Item>>>;
  replace?: Operation<(userId: string, id: string, input: z.output<Input>) => Promise<z.output<Item>>>;
  delete?: Operation<(userId: string, id: string) => Promise<void>>;
}

/**
 * The list / create / get / replace / delete routes a user-owned resource shares, in that order
 * (the OpenAPI document lists paths in registration order). Routes peculiar to a resource are
 * registered by its own module.
 */
export function registerCrudRoutes<Item extends z.ZodType, Input extends z.ZodType>(
  app: FinkitApp,
  routes: CrudRoutes<Item, Input>,
): void {
  const { path, item } = routes;
  // Hono cannot compute the validated body's type from a generic schema, so the routes see the
  // plain `z.ZodType` and the body is cast back: the validator ran `routes.input` itself.
  const input: z.ZodType = routes.input;
  type Body = z.output<Input>;
  const one = `${path}/{id}`;
  const tags = [routes.tag];

  if (routes.list) {
    const { summary, run } = routes.list;
    app.openapi(
      createRoute({
        method: 'get',
        path,
        tags,
        security,
        summary,
        responses: { 200: jsonResponse(itemsOf(item), routes.tag), ...errorResponses },
      }),
      async (c) => c.json({ items: await run(c.get('userId')) }, 200),
    );
  }

  if (routes.create) {
    const { summary, run } = routes.create;
    app.openapi(
      createRoute({
        method: 'post',
        path,
        tags,
        security,
        summary,
        request: { body: jsonBody(input) },
        responses: { 201: jsonResponse(item, 'Created'), ...errorResponses },
      }),
      async (c) => c.json(await run(c.get('userId'), c.req.valid('json') as Body), 201),
    );
  }

  if (routes.get) {
    const { summary, run } = routes.get;
    app.openapi(
      createRoute({
        method: 'get',
        path: one,
        tags,
        security,
        summary,
        request: { params: idParams },
        responses: { 200: jsonResponse(item, routes.noun), ...errorResponses },
      }),
      async (c) => c.json(await run(c.get('userId'), c.req.valid('param').id), 200),
    );
  }

  if (routes.replace) {
    const { summary, run } = routes.replace;
    app.openapi(
      createRoute({
        method: 'put',
        path: one,
        tags,
        security,
        summary,
        request: { params: idParams, body: jsonBody(input) },
        responses: { 200: jsonResponse(item, 'Replaced'), ...errorResponses },
      }),
      async (c) =>
        c.json(await run(c.get('userId'), c.req.valid('param').id, c.req.valid('json') as Body), 200),
    );
  }

  if (routes.delete) {
    const { summary, run } = routes.delete;
    app.openapi(
      createRoute({
        method: 'delete',
        path: one,
        tags,
        security,
        summary,
        request: { params: idParams },
        responses: { 204: noContent, ...errorResponses },
      }),
      async (c) => {
        await run(c.get('userId'), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
  }
}
