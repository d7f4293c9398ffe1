import type { AggregateQuery, BudgetRepository, BudgetSnapshot, Store } from '../ports/store.js';

/**
 * `budgets.snapshot` from a store's single reads (`budgets.get`, `categories.list`, `aggregate`),
 * for a store without a one-statement way to answer it. The three reads start together, so a store
 * whose reads see its state before their first await (the memory store) answers one moment.
 */
export async function readBudgetSnapshot(
  store: Pick<Store, 'categories' | 'transactions'> & { budgets: Pick<BudgetRepository, 'get'> },
  userId: string,
  budgetId: string,
  spending?: AggregateQuery,
): Promise<BudgetSnapshot | null> {
  const [budget, categories, rows] = await Promise.all([
    store.budgets.get(userId, budgetId),
    store.categories.list(userId),
    spending === undefined ? [] : store.transactions.aggregate(userId, spending),
  ]);
  return budget === null ? null : { budget, categories, spending: rows };
}
