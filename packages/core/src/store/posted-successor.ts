import type { Transaction } from '../schemas/transaction.js';

type Linkable = Pick<
  Transaction,
  'id' | 'connectionId' | 'providerTransactionId' | 'pendingTransactionId' | 'removedAt'
>;

/**
 * The live posted row that replaced a removed pending row (it names the pending row's provider id
 * as its `pendingTransactionId`), or null. Edits follow a transaction to it, so an edit that races
 * the sync replacing its row is never lost.
 */
export function postedSuccessor<T extends Linkable>(rows: Iterable<T>, pending: Linkable): T | null {
  for (const row of rows) {
    if (
      row.removedAt === null &&
      row.connectionId === pending.connectionId &&
      row.pendingTransactionId === pending.providerTransactionId &&
      row.id !== pending.id
    ) {
      return row;
    }
  }
  return null;
}
