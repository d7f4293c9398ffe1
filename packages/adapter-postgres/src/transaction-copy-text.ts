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

/** Timestamps as COPY reads them; a batch stamps most rows with one `Date`, printed once. */
function timestamps(): (value: Date) => string {
  let last: Date | undefined;
  let text = '';
  return (value) => {
    if (value !== last) {
      last = value;
      text = value.toISOString();
    }
    return text;
  };
}

/**
 * Rows as COPY text format (tab-separated, one row a line) in `transactionColumnList` order. Numbers
 * print as JS prints them: integers below 2^53 in full, doubles with the shortest digits that parse
 * back to the same double, which is what PostgreSQL's `float8in` does.
 *
 * Each row is one template literal and the rows are joined once: appending to one growing string
 * left V8 a rope of thousands of pieces to flatten when it was encoded (1.7 ms per 500 rows, a tenth
 * of a batch's wall time, against 0.7 ms).
 */
export function transactionCopyText(rows: readonly Transaction[]): string {
  const timestamp = timestamps();
  const lines = new Array<string>(rows.length + 1);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i]!;
    lines[i] =
      `${field(row.id)}\t${field(row.userId)}\t${field(row.connectionId)}\t${field(row.accountId)}\t` +
      `${field(row.providerTransactionId)}\t${field(row.pendingTransactionId)}\t${field(row.date)}\t` +
      `${field(row.authorizedDate)}\t${row.amount}\t${field(row.currency)}\t${field(row.description)}\t` +
      `${field(row.merchantName)}\t${row.pending ? 't' : 'f'}\t${field(row.categoryId)}\t` +
      `${row.categoryConfidence}\t${field(row.categoryExplanation)}\t${field(json(row.providerCategory))}\t` +
      `${field(row.notes)}\t${field(toTextArrayLiteral(row.tags))}\t${row.hidden ? 't' : 'f'}\t` +
      `${field(JSON.stringify(row.sources))}\t${row.removedAt === null ? '\\N' : timestamp(row.removedAt)}\t` +
      `${timestamp(row.createdAt)}\t${timestamp(row.updatedAt)}`;
  }
  // The empty last element ends the last row with its newline.
  lines[rows.length] = '';
  return lines.join('\n');
}
