import { FinkitError, notFound } from '../errors/finkit-error.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { SimilarTransaction, Store, SyncBatch, SyncBatchResult } from '../ports/store.js';
import type { Transaction } from '../schemas/transaction.js';
import { cosineSimilarity } from '../store/cosine-similarity.js';
import { compareKeyset } from '../store/keyset-cursor.js';
import { planSyncRows } from '../store/plan-sync-rows.js';
import { readBudgetSnapshot } from '../store/read-budget-snapshot.js';
import { transactionMatchesFilter } from '../store/transaction-matches-filter.js';
import { createMemoryBudgets } from './memory-budgets.js';
import { createMemoryCategories } from './memory-categories.js';
import { createMemoryAccounts, createMemoryConnections, upsertAccounts } from './memory-connections.js';
import { assertKnownCategory, copyOut, type MemoryContext, ownedRow } from './memory-context.js';
import { createMemoryDeliveries } from './memory-deliveries.js';
import { createMemoryGoals } from './memory-goals.js';
import { createMemoryNotifications } from './memory-notifications.js';
import { createMemoryPushSubscriptions } from './memory-push-subscriptions.js';
import { createMemoryRules } from './memory-rules.js';
import { createMemoryState, embeddingKey, type MemoryState, writeAtomically } from './memory-state.js';
import { createMemoryTransactions } from './memory-transactions.js';
import { createMemoryVersionedDocuments } from './memory-versioned-documents.js';

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

  const transactions = createMemoryTransactions(context);
  const categories = createMemoryCategories(context);
  const budgets = createMemoryBudgets(context);

  return {
    capabilities: { vectorSearch: true, crossProcess: false },
    connections: createMemoryConnections(context),
    accounts: createMemoryAccounts(context),
    transactions,
    rules: createMemoryRules(context),
    categories,
    budgets: {
      ...budgets,
      snapshot: (userId, budgetId, spending) =>
        readBudgetSnapshot({ budgets, categories, transactions }, userId, budgetId, spending),
    },
    goals: createMemoryGoals(context),
    notifications: createMemoryNotifications(context),
    deliveries: createMemoryDeliveries(clock),
    pushSubscriptions: createMemoryPushSubscriptions(context),
    notificationPreferences: createMemoryVersionedDocuments(
      context,
      (state) => state.notificationPreferences,
    ),
    learnerState: createMemoryVersionedDocuments(context, (state) => state.learnerState),
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
  const existing = new Map<string, Transaction>();
  for (const row of draft.transactions.values()) {
    if (row.connectionId === connectionId) existing.set(row.providerTransactionId, row);
  }
  for (const input of batch.upserts) assertKnownCategory(draft, userId, input.categoryId);
  const plan = planSyncRows({ batch, accountIds, existing, newId, now });
  for (const row of plan.writes.values()) draft.transactions.set(row.id, row);
  for (const { transactionId, model, vector } of plan.embeddings) {
    draft.embeddings.set(embeddingKey(transactionId, model), {
      transactionId,
      model,
      vector: new Float32Array(vector),
    });
  }

  draft.connections.set(connectionId, {
    ...connection,
    cursor: batch.nextCursor,
    lastSyncedAt: new Date(batch.syncedAt),
    updatedAt: now,
  });
  return plan.result;
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
