import { FinkitError, notFound } from '../errors/finkit-error.js';
import type { AggregateGroup, AggregateRow, TransactionRepository } from '../ports/store.js';
import type { Transaction } from '../schemas/transaction.js';
import { applyTransactionEdit } from '../store/apply-transaction-edit.js';
import { isDeepEqual } from '../store/is-deep-equal.js';
import {
  assertPageLimit,
  compareKeyset,
  decodeKeysetCursor,
  encodeKeysetCursor,
} from '../store/keyset-cursor.js';
import { postedSuccessor } from '../store/posted-successor.js';
import { transactionMatchesFilter } from '../store/transaction-matches-filter.js';
import {
  assertKnownCategory,
  copyOut,
  type MemoryContext,
  ownedRow,
  requireOwned,
} from './memory-context.js';
import { embeddingKey } from './memory-state.js';

export function createMemoryTransactions(context: MemoryContext): TransactionRepository {
  const { read, write } = context;
  return {
    async get(userId, id) {
      return copyOut(ownedRow(read().transactions, userId, id));
    },
    async list(userId, filter, page) {
      assertPageLimit(page.limit);
      const after = page.cursor ? decodeKeysetCursor(page.cursor) : null;
      const rows = [...read().transactions.values()]
        .filter(
          (row) =>
            row.userId === userId &&
            transactionMatchesFilter(row, filter) &&
            (after === null || compareKeyset(row, after) > 0),
        )
        .sort(compareKeyset);
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      const nextCursor = rows.length > page.limit && last !== undefined ? encodeKeysetCursor(last) : null;
      return { items: copyOut(items), nextCursor };
    },
    async getByProviderIds(userId, connectionId, providerTransactionIds) {
      const wanted = new Set(providerTransactionIds);
      const rows = [...read().transactions.values()].filter(
        (row) =>
          row.userId === userId && row.connectionId === connectionId && wanted.has(row.providerTransactionId),
      );
      return copyOut(rows);
    },
    async edit(userId, edits, source) {
      return write((draft, now) => {
        const resultIds: string[] = [];
        for (const { id, fields } of edits) {
          const row = requireOwned(draft.transactions, userId, id, 'Transaction');
          if (fields.categoryId !== undefined) assertKnownCategory(draft, userId, fields.categoryId);
          // An edit of a pending row the provider already replaced follows it to the posted row.
          const successor = row.removedAt === null ? null : postedSuccessor(draft.transactions.values(), row);
          for (const target of successor ? [row, successor] : [row]) {
            const current = draft.transactions.get(target.id)!;
            const candidate: Transaction = { ...current, ...applyTransactionEdit(current, fields, source) };
            if (!isDeepEqual(candidate, current))
              draft.transactions.set(target.id, { ...candidate, updatedAt: now });
          }
          resultIds.push(successor?.id ?? id);
        }
        return resultIds.map((id) => copyOut(draft.transactions.get(id)!));
      });
    },
    async aggregate(userId, query) {
      const byDay = query.groupBy === 'categoryDay';
      const groups = new Map<string, AggregateRow>();
      for (const row of read().transactions.values()) {
        if (row.userId !== userId || !transactionMatchesFilter(row, query.filter ?? {})) continue;
        const key = groupKey(row, query.groupBy);
        const mapKey = byDay
          ? `${key}\u0000${row.date}\u0000${row.pending}\u0000${row.currency}`
          : `${key}\u0000${row.currency}`;
        let group = groups.get(mapKey);
        if (group === undefined) {
          group = byDay
            ? {
                key,
                date: row.date,
                pending: row.pending,
                currency: row.currency,
                inflow: 0,
                outflow: 0,
                count: 0,
              }
            : { key, currency: row.currency, inflow: 0, outflow: 0, count: 0 };
          groups.set(mapKey, group);
        }
        if (row.amount > 0) group.inflow += row.amount;
        else group.outflow += row.amount;
        group.count += 1;
      }
      return [...groups.values()].sort(compareAggregateRows);
    },
    async setEmbeddings(userId, rows) {
      write((draft) => {
        for (const { transactionId, model, vector } of rows) {
          if (ownedRow(draft.transactions, userId, transactionId) === null) {
            throw notFound('Transaction', transactionId);
          }
          if (vector.length === 0 || model.length === 0) {
            throw new FinkitError('VALIDATION', 'An embedding needs a model and a non-empty vector', {
              details: { transactionId },
            });
          }
          draft.embeddings.set(embeddingKey(transactionId, model), {
            transactionId,
            model,
            vector: new Float32Array(vector),
          });
        }
      });
    },
  };
}

function groupKey(row: Transaction, groupBy: AggregateGroup): string {
  switch (groupBy) {
    case 'category':
    case 'categoryDay':
      return row.categoryId;
    case 'month':
      return row.date.slice(0, 7);
    case 'merchant':
      return row.merchantName ?? row.description;
    case 'none':
      return 'all';
  }
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Key, then (for `categoryDay`) date and posted before pending, then currency. */
function compareAggregateRows(a: AggregateRow, b: AggregateRow): number {
  return (
    byCodeUnit(a.key, b.key) ||
    byCodeUnit(a.date ?? '', b.date ?? '') ||
    Number(a.pending ?? false) - Number(b.pending ?? false) ||
    byCodeUnit(a.currency, b.currency)
  );
}
