import {
  type AggregateRow,
  type Finkit,
  FinkitError,
  idSchema,
  transactionEditSchema,
  transactionFilterSchema,
  transactionSchema,
} from '@finkit/core';
import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  errorSchema,
  idParams,
  itemsOf,
  jsonBody,
  jsonResponse,
  security,
} from '../api-schemas.js';
import { toTransactionFilter, transactionFilterQuery } from '../transaction-filter-query.js';
import { streamTransactionsCsv } from '../transactions-csv.js';
import type { FinkitApp } from './finkit-app.js';

const tags = ['Transactions'];

const listQuery = transactionFilterQuery.extend({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { message: 'Must be an integer from 1 to 1000' })
    .optional()
    .openapi({ description: 'Page size, 1–1000, default 50' }),
  cursor: z.string().min(1).max(2000).optional().openapi({ description: 'nextCursor of the previous page' }),
});
const pageResponse = z.object({ items: z.array(transactionSchema), nextCursor: z.string().nullable() });

const groupBy = z.enum(['category', 'month', 'merchant', 'none']);
const statsQuery = transactionFilterQuery.extend({
  groupBy: groupBy.optional().openapi({ description: 'Default category' }),
});
const aggregateRow = z.object({
  key: z.string(),
  currency: z.string(),
  inflow: z.number().int(),
  outflow: z.number().int(),
  count: z.number().int(),
});
const statsResponse = z.object({
  groupBy,
  rows: z.array(aggregateRow),
  /** Income against spending per currency, over every row of the filter. */
  totals: z.array(
    z.object({
      currency: z.string(),
      inflow: z.number().int(),
      outflow: z.number().int(),
      net: z.number().int(),
      count: z.number().int(),
    }),
  ),
});

const searchRequest = z
  .object({
    query: z.string().trim().min(1).max(500),
    k: z.number().int().min(1).max(100).default(20),
    filter: transactionFilterSchema.strict().default({}),
  })
  .strict();
const searchResponse = z.object({
  items: z.array(z.object({ transaction: transactionSchema, score: z.number() })),
});

const bulkRequest = z.object({ ids: z.array(idSchema).min(1).max(1000), categoryId: idSchema }).strict();

function totalsOf(rows: readonly AggregateRow[]) {
  const byCurrency = new Map<string, { currency: string; inflow: number; outflow: number; count: number }>();
  for (const row of rows) {
    const total = byCurrency.get(row.currency) ?? { currency: row.currency, inflow: 0, outflow: 0, count: 0 };
    total.inflow += row.inflow;
    total.outflow += row.outflow;
    total.count += row.count;
    byCurrency.set(row.currency, total);
  }
  return [...byCurrency.values()].map((t) => ({ ...t, net: t.inflow + t.outflow }));
}

export function registerTransactionRoutes(app: FinkitApp, finkit: Finkit): void {
  // Fixed paths are registered before /transactions/{id} so they are never read as an id.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/transactions',
      tags,
      security,
      summary: 'Transactions, newest first, keyset-paginated',
      request: { query: listQuery },
      responses: { 200: jsonResponse(pageResponse, 'One page'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await finkit.transactions.list(c.get('userId'), toTransactionFilter(query), {
        limit: query.limit === undefined ? 50 : Number(query.limit),
        cursor: query.cursor ?? null,
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/transactions/stats',
      tags,
      security,
      summary: 'Money in and out by category, month or merchant',
      request: { query: statsQuery },
      responses: { 200: jsonResponse(statsResponse, 'Sums in minor units'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const grouping = query.groupBy ?? 'category';
      const rows = await finkit.context.store.transactions.aggregate(c.get('userId'), {
        groupBy: grouping,
        filter: toTransactionFilter(query),
      });
      return c.json({ groupBy: grouping, rows, totals: totalsOf(rows) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/transactions/export',
      tags,
      security,
      summary: 'The matching transactions as CSV (RFC 4180, UTF-8), streamed',
      request: { query: transactionFilterQuery },
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const userId = c.get('userId');
      const stream = await streamTransactionsCsv(finkit, userId, toTransactionFilter(c.req.valid('query')));
      return c.body(stream, 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': 'attachment; filename="transactions.csv"',
        'cache-control': 'no-store',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/transactions/search',
      tags,
      security,
      summary: 'Transactions nearest in meaning to a text, with the same filters',
      request: { body: jsonBody(searchRequest) },
      responses: {
        200: jsonResponse(searchResponse, 'Closest first'),
        ...errorResponses,
        501: jsonResponse(errorSchema, 'No embedder or no vector search (CAPABILITY_UNAVAILABLE)'),
      },
    }),
    async (c) => {
      const { query, k, filter } = c.req.valid('json');
      const { embedder, store } = finkit.context;
      if (!embedder || !store.capabilities.vectorSearch) {
        throw new FinkitError(
          'CAPABILITY_UNAVAILABLE',
          'Semantic search needs an embedder and a store with vector search',
        );
      }
      const [vector] = await embedder.embed([query]);
      if (!vector) throw new FinkitError('INTERNAL', 'The embedder returned no vector');
      const found = await store.searchSimilar(c.get('userId'), { vector, model: embedder.id, k, filter });
      return c.json({ items: found.map(({ transaction, score }) => ({ transaction, score })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/transactions/bulk-categorize',
      tags,
      security,
      summary: 'Set one category on many transactions as the user’s edit, all or none',
      request: { body: jsonBody(bulkRequest) },
      responses: { 200: jsonResponse(itemsOf(transactionSchema), 'The updated rows'), ...errorResponses },
    }),
    async (c) =>
      c.json({ items: await finkit.transactions.bulkCategorize(c.get('userId'), c.req.valid('json')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/transactions/{id}',
      tags,
      security,
      summary: 'One transaction',
      request: { params: idParams },
      responses: { 200: jsonResponse(transactionSchema, 'Transaction'), ...errorResponses },
    }),
    async (c) => c.json(await finkit.transactions.get(c.get('userId'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/transactions/{id}',
      tags,
      security,
      summary: 'Edit category, merchant name, notes, tags or hidden; recorded as the user’s edit',
      request: { params: idParams, body: jsonBody(transactionEditSchema) },
      responses: { 200: jsonResponse(transactionSchema, 'The edited transaction'), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await finkit.transactions.edit(c.get('userId'), c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  );
}
