import { FinkitError, notFound } from '../errors/finkit-error.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { SimilarTransaction, Store, SyncBatch, SyncBatchResult } from '../ports/store.js';
import type { Transaction } from '../schemas/transaction.js';
import { cosineSimilarity } from '../store/cosine-similarity.js';
import { compareKeyset } from '../store/keyset-cursor.js';
import { mergeSyncUpsert } from '../store/merge-sync-upsert.js';
import { transactionMatchesFilter } from '../store/transaction-matches-filter.js';
import { isDeepEqual } from './is-deep-equal.js';
import { createMemoryBudgets } from './memory-budgets.js';
import { createMemoryCategories } from './memory-categories.js';
import { createMemoryAccounts, createMemoryConnections, upsertAccounts } from './memory-connections.js';
import { assertKnownCategory, copyOut, type MemoryContext, ownedRow } from './memory-context.js';
import { createMemoryDeliveries } from './memory-deliveries.js';
import { createMemoryGoals } from './memory-goals.js';
import { createMemoryNotifications } from './memory-notifications.js';
import { createMemoryRules } from './memory-rules.js';
import { createMemoryState, embeddingKey, type MemoryState, writeAtomically } from './memory-state.js';
import { createMemoryTransactions } from './memory-transactions.js';

export interface MemoryStoreOptions {
  /** Source of every stored timestamp. */
  clock?: Clock;
  /** Makes ids for new rows; random UUIDs by default. */
  idGenerator?: () => string;
}

/**
 * The reference Store: everything in one process's memory, gone when it exits. Each write works
 * in place with a journal of its changes and is undone when it throws, so a throw writes nothing; no write
 * awaits, so writes never interleave.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const clock = options.clock ?? systemClock;
  const newId = options.idGenerator ?? (() => globalThis.crypto.randomUUID());
  const state = createMemoryState();
  const context: MemoryContext = {
    read: () => state,
    write(fn) {
      return writeAtomically(state, () => fn(state, clock.now()));
    },
    newId,
  };

  return {
    capabilities: { vectorSearch: true, crossProcess: false },
    connections: createMemoryConnections(context),
    accounts: createMemoryAccounts(context),
    transactions: createMemoryTransactions(context),
    rules: createMemoryRules(context),
    categories: createMemoryCategories(context),
    budgets: createMemoryBudgets(context),
    goals: createMemoryGoals(context),
    notifications: createMemoryNotifications(context),
    deliveries: createMemoryDeliveries(clock),
    learnerState: {
      get: async (userId) => state.learnerState.get(userId) ?? null,
      async put(userId, json) {
        context.write((draft) => draft.learnerState.set(userId, json));
      },
    },
    async applySyncBatch(batch) {
      return context.write((draft, now) => applySyncBatch(draft, batch, now, newId));
    },
    async searchSimilar(userId, query) {
      return searchSimilar(state, userId, query);
    },
    async close() {},
  };
}

function applySyncBatch(
  draft: MemoryState,
  batch: SyncBatch,
  now: Date,
  newId: () => string,
): SyncBatchResult {
  const { userId, connectionId } = batch;
  const connection = ownedRow(draft.connections, userId, connectionId);
  if (connection === null) throw notFound('Connection', connectionId);
  if (batch.expectedCursor !== undefined && batch.expectedCursor !== connection.cursor) {
    throw new FinkitError('CONFLICT', `Connection ${connectionId} was synced by someone else meanwhile`, {
      details: { connectionId },
    });
  }
  upsertAccounts(draft, userId, connectionId, batch.accounts, now, newId);

  const accountIds = new Map<string, string>();
  for (const account of draft.accounts.values()) {
    if (account.connectionId === connectionId) accountIds.set(account.providerAccountId, account.id);
  }
  const byProviderId = new Map<string, Transaction>();
  for (const row of draft.transactions.values()) {
    if (row.connectionId === connectionId) byProviderId.set(row.providerTransactionId, row);
  }

  const added = new Set<string>();
  const modified = new Set<string>();
  const removed: string[] = [];
  for (const input of batch.upserts) {
    const accountId = accountIds.get(input.providerAccountId);
    if (accountId === undefined) {
      throw new FinkitError(
        'VALIDATION',
        `Transaction ${input.providerTransactionId} names an unknown account`,
        {
          details: {
            providerTransactionId: input.providerTransactionId,
            providerAccountId: input.providerAccountId,
          },
        },
      );
    }
    assertKnownCategory(draft, userId, input.categoryId);
    const existing = byProviderId.get(input.providerTransactionId) ?? null;
    const pendingRow =
      existing === null && !input.pending && input.pendingTransactionId !== null
        ? (byProviderId.get(input.pendingTransactionId) ?? null)
        : null;
    const values = mergeSyncUpsert(input, existing, pendingRow);
    let row: Transaction;
    if (existing === null) {
      row = {
        id: newId(),
        userId,
        connectionId,
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
    draft.transactions.set(row.id, row);
    byProviderId.set(row.providerTransactionId, row);
    if (input.embedding !== undefined) {
      const { model, vector } = input.embedding;
      draft.embeddings.set(embeddingKey(row.id, model), {
        transactionId: row.id,
        model,
        vector: new Float32Array(vector),
      });
    }
  }

  for (const providerTransactionId of batch.removed) {
    const row = byProviderId.get(providerTransactionId);
    if (row === undefined || row.removedAt !== null) continue;
    draft.transactions.set(row.id, { ...row, removedAt: new Date(batch.syncedAt), updatedAt: now });
    removed.push(row.id);
  }

  draft.connections.set(connectionId, {
    ...connection,
    cursor: batch.nextCursor,
    lastSyncedAt: new Date(batch.syncedAt),
    updatedAt: now,
  });
  return { added: [...added], modified: [...modified], removed };
}

function searchSimilar(
  state: MemoryState,
  userId: string,
  query: Parameters<Store['searchSimilar']>[1],
): SimilarTransaction[] {
  const { vector, model, k, filter = {} } = query;
  if (!Number.isInteger(k) || k < 1 || k > 1000) {
    throw new FinkitError('VALIDATION', `k must be an integer from 1 to 1000, got ${k}`, { details: { k } });
  }
  const scored: SimilarTransaction[] = [];
  for (const embedding of state.embeddings.values()) {
    if (embedding.model !== model) continue;
    const row = state.transactions.get(embedding.transactionId);
    if (row === undefined || row.userId !== userId || !transactionMatchesFilter(row, filter)) continue;
    if (embedding.vector.length !== vector.length) {
      throw new FinkitError(
        'VALIDATION',
        `Query has ${vector.length} dimensions, ${model} has ${embedding.vector.length}`,
        {
          details: { model },
        },
      );
    }
    scored.push({ transaction: row, score: cosineSimilarity(vector, embedding.vector) });
  }
  scored.sort((a, b) => b.score - a.score || compareKeyset(a.transaction, b.transaction));
  return copyOut(scored.slice(0, k));
}
