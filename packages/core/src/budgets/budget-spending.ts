import type { AggregateRow, Store } from '../ports/store.js';
import type { Budget } from '../schemas/budget.js';
import type { Category } from '../schemas/category.js';
import type { BudgetPeriodRange } from './budget-period.js';
import { addDays } from './calendar-date.js';

/** Spending in another currency than the budget's: never added to it, reported instead. */
export interface IgnoredSpending {
  currency: string;
  /** Net spending in that currency, minor units of it. */
  spent: number;
  count: number;
}

export interface PeriodSpending {
  /** Money out minus refunds in the budget's categories and currency, minor units. */
  spent: number;
  ignored: IgnoredSpending[];
}

/**
 * Reads what budgets spent, through the store's aggregate query (never row by row). One reader
 * serves one user for one evaluation: budgets that share a period and pending setting share one
 * query, so evaluating fifty monthly budgets costs one or two aggregates, not fifty.
 */
export interface SpendingReader {
  spent(budget: Budget, period: BudgetPeriodRange): Promise<PeriodSpending>;
  /** Aggregate rows per category and currency for a date range (shared between budgets). */
  spentByCategory(period: BudgetPeriodRange, includePending: boolean): Promise<AggregateRow[]>;
  categories(): Promise<Category[]>;
}

/**
 * `forBudget` narrows every aggregate to that budget's categories, so reading one budget's
 * progress scans its rows only (the index on category serves it) instead of the whole period.
 */
export function createSpendingReader(
  store: Store,
  userId: string,
  options: { forBudget?: Pick<Budget, 'categoryIds'> } = {},
): SpendingReader {
  let categoriesPromise: Promise<Category[]> | null = null;
  const aggregates = new Map<string, Promise<AggregateRow[]>>();

  const categories = () => {
    categoriesPromise ??= store.categories.list(userId);
    return categoriesPromise;
  };

  // An all-spending budget counts nearly every category: narrowing would not save a scan.
  const narrowTo =
    options.forBudget && options.forBudget.categoryIds.length > 0
      ? categories().then((all) => [...budgetCategoryIds(options.forBudget!, all)])
      : null;

  function spentByCategory(period: BudgetPeriodRange, includePending: boolean): Promise<AggregateRow[]> {
    const key = `${period.start}|${period.end}|${includePending}`;
    let rows = aggregates.get(key);
    if (rows === undefined) {
      rows = (narrowTo ?? Promise.resolve(null)).then((categoryIds) =>
        store.transactions.aggregate(userId, {
          groupBy: 'category',
          filter: {
            from: period.start,
            // The store's `to` is inclusive; a period's end is the next period's first day.
            to: addDays(period.end, -1),
            ...(includePending ? {} : { pending: false }),
            ...(categoryIds ? { categoryIds } : {}),
          },
        }),
      );
      aggregates.set(key, rows);
    }
    return rows;
  }

  return {
    categories,
    spentByCategory,
    async spent(budget, period) {
      const [all, rows] = await Promise.all([categories(), spentByCategory(period, budget.includePending)]);
      const counted = budgetCategoryIds(budget, all);
      let spent = 0;
      const ignored = new Map<string, IgnoredSpending>();
      for (const row of rows) {
        if (!counted.has(row.key)) continue;
        // Money out is negative: spending is its negation, and refunds (money in) reduce it.
        const net = -(row.inflow + row.outflow);
        if (row.currency === budget.currency) {
          spent += net;
          continue;
        }
        const other = ignored.get(row.currency) ?? { currency: row.currency, spent: 0, count: 0 };
        other.spent += net;
        other.count += row.count;
        ignored.set(row.currency, other);
      }
      return { spent: spent === 0 ? 0 : spent, ignored: [...ignored.values()] };
    },
  };
}

/**
 * The categories whose transactions a budget counts: its own and their subcategories, or every
 * expense category when it lists none. Income and transfer categories never count, even when a
 * subcategory of an expense one.
 */
export function budgetCategoryIds(
  budget: Pick<Budget, 'categoryIds'>,
  categories: readonly Category[],
): Set<string> {
  const expense = categories.filter((category) => category.kind === 'expense');
  if (budget.categoryIds.length === 0) return new Set(expense.map((category) => category.id));
  const counted = new Set(budget.categoryIds);
  // Walk down the tree until no new child appears; depth is small, categories are few.
  let grew = true;
  while (grew) {
    grew = false;
    for (const category of categories) {
      if (category.parentId !== null && counted.has(category.parentId) && !counted.has(category.id)) {
        counted.add(category.id);
        grew = true;
      }
    }
  }
  const expenseIds = new Set(expense.map((category) => category.id));
  return new Set([...counted].filter((id) => expenseIds.has(id)));
}
