import { FinkitError } from '../errors/finkit-error.js';
import type { SyncBatch, SyncBatchResult } from '../ports/store.js';
import type { Transaction } from '../schemas/transaction.js';
import { isDeepEqual } from './is-deep-equal.js';
import { mergeSyncUpsert } from './merge-sync-upsert.js';

export interface SyncRowsPlan {
  /** Rows to insert or replace, by id; rows the batch leaves unchanged are absent. */
  writes: Map<string, Transaction>;
  embeddings: { transactionId: string; model: string; vector: Float32Array }[];
  result: SyncBatchResult;
}

/**
 * What `applySyncBatch` writes, decided once for every store: upserts matched by provider id
 * with the provenance merge and pending→posted carry, soft removals, and which rows count as
 * added, modified or removed (a row whose values did not change is neither, and keeps its
 * `updatedAt`). Stores read the connection's rows the batch names and write the plan in one
 * transaction. @throws VALIDATION for a transaction whose account is unknown.
 */
export function planSyncRows(input: {
  batch: SyncBatch;
  /** Provider account id → account id, for the connection (after the batch's accounts). */
  accountIds: ReadonlyMap<string, string>;
  /** The connection's stored rows that the batch names (upserted, carried from, removed), by provider id. */
  existing: ReadonlyMap<string, Transaction>;
  newId: () => string;
  now: Date;
}): SyncRowsPlan {
  const { batch, accountIds, newId, now } = input;
  const byProviderId = new Map(input.existing);
  const writes = new Map<string, Transaction>();
  const embeddings: SyncRowsPlan['embeddings'] = [];
  const added = new Set<string>();
  const modified = new Set<string>();
  for (const upsert of batch.upserts) {
    const accountId = accountIds.get(upsert.providerAccountId);
    if (accountId === undefined) {
      throw new FinkitError(
        'VALIDATION',
        `Transaction ${upsert.providerTransactionId} names an unknown account`,
        {
          details: {
            providerTransactionId: upsert.providerTransactionId,
            providerAccountId: upsert.providerAccountId,
          },
        },
      );
    }
    const existing = byProviderId.get(upsert.providerTransactionId) ?? null;
    const pendingRow =
      existing === null && !upsert.pending && upsert.pendingTransactionId !== null
        ? (byProviderId.get(upsert.pendingTransactionId) ?? null)
        : null;
    const values = mergeSyncUpsert(upsert, existing, pendingRow);
    let row: Transaction;
    if (existing === null) {
      row = {
        id: newId(),
        userId: batch.userId,
        connectionId: batch.connectionId,
        accountId,
        ...values,
        removedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      added.add(row.id);
    } else {
      const candidate: Transaction = { ...existing, accountId, ...values, removedAt: null };
      row = isDeepEqual(candidate, existing) ? existing : { ...candidate, updatedAt: now };
      if (row !== existing && !added.has(row.id)) modified.add(row.id);
    }
    if (row !== existing) writes.set(row.id, row);
    byProviderId.set(row.providerTransactionId, row);
    if (upsert.embedding !== undefined) embeddings.push({ transactionId: row.id, ...upsert.embedding });
  }
  const removed: string[] = [];
  for (const providerTransactionId of batch.removed) {
    const row = byProviderId.get(providerTransactionId);
    if (row === undefined || row.removedAt !== null) continue;
    const next = { ...row, removedAt: new Date(batch.syncedAt), updatedAt: now };
    byProviderId.set(providerTransactionId, next);
    writes.set(next.id, next);
    removed.push(next.id);
  }
  return { writes, embeddings, result: { added: [...added], modified: [...modified], removed } };
}
