import { type TransactionFilter, transactionFilterSchema } from '@finkit/core';
import { z } from '@hono/zod-openapi';
import { validationError } from './validation-error.js';

// A query value given once arrives as a string, repeated as an array; both may hold commas.
const listParam = (name: string, description: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ param: { name, in: 'query', style: 'form', explode: true }, description });

const integerParam = (name: string, description: string) =>
  z
    .string()
    .regex(/^-?\d{1,20}$/, { message: 'Must be an integer of minor units' })
    .optional()
    .openapi({ param: { name, in: 'query' }, description });

const booleanParam = (name: string, description: string) =>
  z
    .enum(['true', 'false'])
    .optional()
    .openapi({ param: { name, in: 'query' }, description });

/** The transaction filter as query parameters; the facade validates the values themselves. */
export const transactionFilterQuery = z.object({
  from: z
    .string()
    .optional()
    .openapi({ description: 'First date, YYYY-MM-DD, inclusive', example: '2024-01-01' }),
  to: z.string().optional().openapi({ description: 'Last date, YYYY-MM-DD, inclusive' }),
  accountId: listParam('accountId', 'Only these accounts (repeat or comma-separate)'),
  connectionId: z.string().optional(),
  categoryId: listParam('categoryId', 'Only these categories (repeat or comma-separate)'),
  minAmount: integerParam('minAmount', 'Signed minor units, inclusive'),
  maxAmount: integerParam('maxAmount', 'Signed minor units, inclusive'),
  q: z.string().optional().openapi({ description: 'Text in description, merchant name or notes' }),
  pending: booleanParam('pending', 'Only pending (true) or posted (false)'),
  tag: listParam('tag', 'Rows having every one of these tags'),
  includeHidden: booleanParam('includeHidden', 'Include hidden rows'),
});

export type TransactionFilterQuery = z.infer<typeof transactionFilterQuery>;

// Issues name the query parameter the client sent, not the filter field it became.
const paramByField: Record<string, string> = {
  accountIds: 'accountId',
  categoryIds: 'categoryId',
  text: 'q',
  tags: 'tag',
};
function renameIssue(issue: { path: PropertyKey[]; message: string }) {
  const [head, ...rest] = issue.path;
  const name = typeof head === 'string' ? (paramByField[head] ?? head) : head;
  return { path: name === undefined ? rest : [name, ...rest], message: issue.message };
}

function splitList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v.length > 0);
}

/** Query parameters to a validated filter; absent parameters stay absent. @throws VALIDATION */
export function toTransactionFilter(query: TransactionFilterQuery): TransactionFilter {
  const filter: Record<string, unknown> = {};
  if (query.from !== undefined) filter.from = query.from;
  if (query.to !== undefined) filter.to = query.to;
  const accountIds = splitList(query.accountId);
  if (accountIds) filter.accountIds = accountIds;
  if (query.connectionId !== undefined) filter.connectionId = query.connectionId;
  const categoryIds = splitList(query.categoryId);
  if (categoryIds) filter.categoryIds = categoryIds;
  if (query.minAmount !== undefined) filter.minAmount = Number(query.minAmount);
  if (query.maxAmount !== undefined) filter.maxAmount = Number(query.maxAmount);
  if (query.q !== undefined) filter.text = query.q;
  if (query.pending !== undefined) filter.pending = query.pending === 'true';
  const tags = splitList(query.tag);
  if (tags) filter.tags = tags;
  if (query.includeHidden !== undefined) filter.includeHidden = query.includeHidden === 'true';
  const parsed = transactionFilterSchema.safeParse(filter);
  if (!parsed.success) throw validationError('query', parsed.error.issues.map(renameIssue));
  return parsed.data;
}
