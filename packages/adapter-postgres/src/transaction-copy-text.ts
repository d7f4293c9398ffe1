import type { Transaction } from '@finkit/core';
import { toTextArrayLiteral } from './sql-values.js';

// COPY's text format gives a backslash meaning, and tab, newline and carriage return end a field or
// a row; everything else (quotes, commas, braces, non-ASCII) passes through as it is.
const special = /[\\\t\n\r]/;
const specials = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of COPY text: `\N` is NULL, so a text that reads `\N` comes out as `\\N`. */
function field(value: string | null): string {
  if (value === null) return '\\N';
  return special.test(value) ? value.replace(specials, (c) => escapes[c]!) : value;
}

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

/**
 * Rows as COPY text format (tab-separated, one row a line) in `transactionColumnList` order. Numbers
 * print as JS prints them: integers below 2^53 in full, doubles with the shortest digits that parse
 * back to the same double, which is what PostgreSQL's `float8in` does.
 */
export function transactionCopyText(rows: readonly Transaction[]): string {
  let text = '';
  for (const row of rows) {
    text += `${[
      field(row.id),
      field(row.userId),
      field(row.connectionId),
      field(row.accountId),
      field(row.providerTransactionId),
      field(row.pendingTransactionId),
      field(row.date),
      field(row.authorizedDate),
      String(row.amount),
      field(row.currency),
      field(row.description),
      field(row.merchantName),
      row.pending ? 't' : 'f',
      field(row.categoryId),
      String(row.categoryConfidence),
      field(row.categoryExplanation),
      field(json(row.providerCategory)),
      field(row.notes),
      field(toTextArrayLiteral(row.tags)),
      row.hidden ? 't' : 'f',
      field(JSON.stringify(row.sources)),
      row.removedAt === null ? '\\N' : row.removedAt.toISOString(),
      row.createdAt.toISOString(),
      row.updatedAt.toISOString(),
    ].join('\t')}\n`;
  }
  return text;
}
