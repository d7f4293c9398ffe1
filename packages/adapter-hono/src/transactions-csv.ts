import { type Finkit, minorToDecimal, type Transaction, type TransactionFilter } from '@finkit/core';

const header = [
  'id',
  'date',
  'authorized_date',
  'account_id',
  'description',
  'merchant_name',
  'amount',
  'currency',
  'category_id',
  'pending',
  'notes',
  'tags',
];

const plainNumber = /^-?\d+(\.\d+)?$/;
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field. A cell a spreadsheet would run as a formula (starting with = + - @, tab or
 * CR) gets a leading apostrophe; a plain number cannot be a formula, so negative amounts stay
 * numbers.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (formulaStart.test(text) && !plainNumber.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function transactionRow(t: Transaction): string {
  return csvRow([
    t.id,
    t.date,
    t.authorizedDate,
    t.accountId,
    t.description,
    t.merchantName,
    minorToDecimal(t.amount, t.currency),
    t.currency,
    t.categoryId,
    t.pending,
    t.notes,
    t.tags.join(';'),
  ]);
}

/**
 * The user's transactions matching `filter` as a CSV byte stream, read from the store one keyset
 * page at a time so memory stays flat however many rows there are. The first page is read before
 * this resolves, so a bad filter fails as a normal error response rather than a broken stream.
 */
export async function streamTransactionsCsv(
  finkit: Finkit,
  userId: string,
  filter: TransactionFilter,
  pageSize = 500,
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  let page = await finkit.transactions.list(userId, filter, { limit: pageSize });
  let sentHeader = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHeader) {
        sentHeader = true;
        controller.enqueue(encoder.encode(csvRow(header)));
      }
      if (done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(page.items.map(transactionRow).join('')));
      if (page.nextCursor === null) {
        done = true;
        return;
      }
      page = await finkit.transactions.list(userId, filter, { limit: pageSize, cursor: page.nextCursor });
    },
  });
}
