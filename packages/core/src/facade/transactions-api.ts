import { z } from 'zod';
import type { Categorizer, RecategorizeResult } from '../categorize/create-categorizer.js';
import { FinkitError } from '../errors/finkit-error.js';
import type { TransactionPage } from '../ports/store.js';
import { idSchema } from '../schemas/common.js';
import {
  type Transaction,
  type TransactionEdit,
  type TransactionFilter,
  transactionEditSchema,
  transactionFilterSchema,
} from '../schemas/transaction.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';
import { requireCategory } from './require-category.js';
import { requireFound } from './require-found.js';

const pageSchema = z.object({
  limit: z.number().int().min(1).max(1000).default(50),
  cursor: z.string().min(1).nullable().optional(),
});

const bulkSchema = z.object({ ids: z.array(idSchema).min(1).max(1000), categoryId: idSchema });

export interface TransactionsApi {
  /** Newest first, keyset-paginated. Removed rows never appear. */
  list(
    userId: string,
    filter?: TransactionFilter,
    page?: { limit?: number; cursor?: string | null },
  ): Promise<TransactionPage>;
  /** @throws NOT_FOUND for another user's or a removed transaction. */
  get(userId: string, id: string): Promise<Transaction>;
  /** Records the user's edit; sync, rules and models never overwrite it afterwards. */
  edit(userId: string, id: string, edit: TransactionEdit): Promise<Transaction>;
  /** Sets one category on many transactions as a user edit, all or none. */
  bulkCategorize(userId: string, input: { ids: string[]; categoryId: string }): Promise<Transaction[]>;
  /**
   * Runs categorization again over the given rows (ids, or every row matching a filter) and
   * stores what changed; fields the user set never change. Publishes `transaction.updated`.
   */
  categorize(
    userId: string,
    target: { ids: string[] } | { filter: TransactionFilter },
  ): Promise<RecategorizeResult>;
}

const categorizeTargetSchema = z.union([
  z.object({ ids: z.array(idSchema).min(1).max(10_000) }).strict(),
  z.object({ filter: transactionFilterSchema }).strict(),
]);

export function createTransactionsApi(
  ctx: FinkitContext,
  categorizer: Categorizer | null = null,
): TransactionsApi {
  const { store, events, clock } = ctx;

  async function getLive(userId: string, id: string): Promise<Transaction> {
    const transaction = await store.transactions.get(userId, id);
    return requireFound(transaction?.removedAt ? null : transaction, 'Transaction', id);
  }

  async function publishUpdated(userId: string, rows: Transaction[], fields: string[]): Promise<void> {
    for (const row of rows) {
      await events.publish({
        type: 'transaction.updated',
        userId,
        at: clock.now().toISOString(),
        data: { transactionId: row.id, fields },
      });
    }
  }

  return {
    list: async (userId, filter = {}, page = {}) =>
      store.transactions.list(
        userId,
        parseInput(transactionFilterSchema, filter, 'filter'),
        parseInput(pageSchema, page, 'page'),
      ),
    get: getLive,
    async edit(userId, id, input) {
      const edit = parseInput(transactionEditSchema, input, 'transaction edit');
      const fields = Object.keys(edit);
      if (fields.length === 0) return getLive(userId, id);
      // A removed row is still edited when it was a pending row the posted one replaced: the store
      // forwards the edit, so a user saving while a sync runs does not lose it.
      requireFound(await store.transactions.get(userId, id), 'Transaction', id);
      if (edit.categoryId !== undefined) await requireCategory(store, userId, edit.categoryId);
      const [updated] = await store.transactions.edit(
        userId,
        [
          {
            id,
            fields: {
              ...edit,
              ...(edit.categoryId !== undefined
                ? { categoryConfidence: 1, categoryExplanation: 'set by you' }
                : {}),
            },
          },
        ],
        'user',
      );
      const row = requireFound(updated?.removedAt ? null : updated, 'Transaction', id);
      // Every category a user sets teaches the learner, also one equal to the guess (a confirmation).
      if (edit.categoryId !== undefined) await categorizer?.recordCorrection(userId, row, edit.categoryId);
      await publishUpdated(userId, [row], fields);
      return row;
    },
    async bulkCategorize(userId, input) {
      const { ids, categoryId } = parseInput(bulkSchema, input, 'bulk categorization');
      await requireCategory(store, userId, categoryId);
      const unique = [...new Set(ids)];
      // The store checks ownership of every id and writes all or none.
      const rows = await store.transactions.edit(
        userId,
        unique.map((id) => ({
          id,
          fields: { categoryId, categoryConfidence: 1, categoryExplanation: 'set by you' },
        })),
        'user',
      );
      await categorizer?.recordCorrections(
        userId,
        rows.map((transaction) => ({ transaction, categoryId })),
      );
      await publishUpdated(userId, rows, ['categoryId']);
      return rows;
    },
    async categorize(userId, target) {
      const parsed = parseInput(categorizeTargetSchema, target, 'categorize target');
      if (!categorizer) {
        throw new FinkitError('CAPABILITY_UNAVAILABLE', 'This finkit was created without a categorizer');
      }
      return categorizer.recategorize(userId, parsed);
    },
  };
}
