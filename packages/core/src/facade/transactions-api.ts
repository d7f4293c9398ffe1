import { z } from 'zod';
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
}

export function createTransactionsApi(ctx: FinkitContext): TransactionsApi {
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
      await getLive(userId, id);
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
      const row = requireFound(updated, 'Transaction', id);
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
      await publishUpdated(userId, rows, ['categoryId']);
      return rows;
    },
  };
}
