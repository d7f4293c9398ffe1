import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Transaction } from '@finkit/core';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { transactionCopyText } from './transaction-copy-text.js';
import { transactionColumnList } from './transaction-rows.js';

// Rows per chunk written to the stream, so a 100k-row batch is not one 30 MB string.
const chunkSize = 2000;

/**
 * Inserts rows with `COPY transactions FROM STDIN` on `client`, inside whatever transaction the
 * client is in: the server parses COPY text several times faster than it expands `unnest` arrays
 * into rows. Like a plain insert it has no conflict clause: a row that breaks a constraint makes
 * the COPY fail and, with it, the transaction.
 */
export async function copyTransactionRows(client: PoolClient, rows: readonly Transaction[]): Promise<void> {
  if (rows.length === 0) return;
  async function* chunks() {
    for (let i = 0; i < rows.length; i += chunkSize) {
      yield Buffer.from(transactionCopyText(rows.slice(i, i + chunkSize)), 'utf8');
    }
  }
  await pipeline(
    Readable.from(chunks()),
    client.query(copyFrom(`copy transactions (${transactionColumnList}) from stdin`)),
  );
}
