import { FinkitError } from '../errors/finkit-error.js';
import type { AggregateQuery, AggregateRow, Store } from '../ports/store.js';
import type { Budget } from '../schemas/budget.js';
import type { Category } from '../schemas/category.js';
import type { TransactionFilter } from '../schemas/transaction.js';
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
  /** Other currencies, ordered by currency code. */
  ignored: IgnoredSpending[];
}

/** One budget and the periods whose spending is wanted, in any order. */
export interface SpendingRequest {
  budget: Pick<Budget, 'categoryIds' | 'currency' | 'includePending'>;
  periods: readonly BudgetPeriodRange[];
}

/**
 * How to read the spending of some budgets' periods: ONE aggregate over the union of the periods,
 * narrowed to the categories the budgets count (null when nothing can be counted). Fifty budgets
 * with rollover chains cost one query, not one per distinct period.
 */
export interface SpendingPlan {
  query: AggregateQuery | null;
  requests: readonly SpendingRequest[];
  /** Per request, the categories it counts. */
  counted: ReadonlySet<string>[];
}

/**
 * Plans the spending read of `requests`. `categories` are the user's (for subcategories and
 * kinds). The query is canonical (sorted category ids), so two plans can be compared for equality.
 */
export function planBudgetSpending(
  categories: readonly Category[],
  requests: readonly SpendingRequest[],
): SpendingPlan {
  const counted = requests.map(({ budget }) => budgetCategoryIds(budget, categories));
  const categoryIds = new Set(counted.flatMap((ids) => [...ids]));
  let from: string | null = null;
  let end: string | null = null;
  for (const { periods } of requests) {
    for (const period of periods) {
      if (from === null || period.start < from) from = period.start;
      if (end === null || period.end > end) end = period.end;
    }
  }
  // No category counted (only income kinds named) or no period: nothing to read.
  if (from === null || end === null || categoryIds.size === 0) return { query: null, requests, counted };
  const filter: TransactionFilter = {
    from,
    // The store's `to` is inclusive; a period's end is the next period's first day.
    to: addDays(end, -1),
    categoryIds: [...categoryIds].sort(),
  };
  const single = singlePeriod(requests);
  // One period and one pending setting (a budget's progress without rollover): per-category sums
  // answer it with fewer rows to group and send.
  const query: AggregateQuery =
    single === null
      ? { groupBy: 'categoryDay', filter }
      : { groupBy: 'category', filter: single.includePending ? filter : { ...filter, pending: false } };
  return { query, requests, counted };
}

/** What each request spent in each of its periods, from the rows of `plan.query`: `[request][period]`. */
export function sumBudgetSpending(plan: SpendingPlan, rows: readonly AggregateRow[]): PeriodSpending[][] {
  const { query, requests, counted } = plan;
  const byCategory = new Map<string, AggregateRow[]>();
  for (const row of rows) {
    // Per-category sums (one period) count as dated on its first day.
    const dated = query?.groupBy === 'category' ? { ...row, date: query.filter!.from!, pending: false } : row;
    if (dated.date === undefined) {
      throw new FinkitError('INTERNAL', 'The store answered a categoryDay aggregate without dates');
    }
    const list = byCategory.get(dated.key);
    if (list === undefined) byCategory.set(dated.key, [dated]);
    else list.push(dated);
  }
  return requests.map((request, index) => sumPeriods(request, counted[index]!, byCategory));
}

/** What the requested budgets spent in each of their periods, read with one aggregate. */
export async function readBudgetSpending(
  store: Store,
  userId: string,
  categories: readonly Category[],
  requests: readonly SpendingRequest[],
): Promise<PeriodSpending[][]> {
  const plan = planBudgetSpending(categories, requests);
  const rows = plan.query === null ? [] : await store.transactions.aggregate(userId, plan.query);
  return sumBudgetSpending(plan, rows);
}

/** The one period every request reads, when they all read the same one with the same pending rule. */
function singlePeriod(requests: readonly SpendingRequest[]): { includePending: boolean } | null {
  const [first] = requests;
  const period = first?.periods[0];
  if (first === undefined || period === undefined) return null;
  const same = requests.every(
    ({ budget, periods }) =>
      budget.includePending === first.budget.includePending &&
      periods.every((p) => p.start === period.start && p.end === period.end),
  );
  return same ? { includePending: first.budget.includePending } : null;
}

function sumPeriods(
  { budget, periods }: SpendingRequest,
  counted: ReadonlySet<string>,
  byCategory: ReadonlyMap<string, readonly AggregateRow[]>,
): PeriodSpending[] {
  const order = periods
    .map((period, index) => ({ period, index }))
    .sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  const spent = periods.map(() => 0);
  const ignored = periods.map(() => new Map<string, IgnoredSpending>());
  for (const categoryId of counted) {
    for (const row of byCategory.get(categoryId) ?? []) {
      if (row.pending === true && !budget.includePending) continue;
      const at = periodIndex(order, row.date!);
      if (at === -1) continue;
      // Money out is negative: spending is its negation, and refunds (money in) reduce it.
      const net = -(row.inflow + row.outflow);
      if (row.currency === budget.currency) {
        spent[at] = spent[at]! + net;
        continue;
      }
      const other = ignored[at]!.get(row.currency) ?? { currency: row.currency, spent: 0, count: 0 };
      other.spent += net;
      other.count += row.count;
      ignored[at]!.set(row.currency, other);
    }
  }
  return periods.map((_, i) => ({
    // -0 (refunds exactly matching spending) reads as 0.
    spent: spent[i] === 0 ? 0 : spent[i]!,
    ignored: [...ignored[i]!.values()]
      .map((other) => (other.spent === 0 ? { ...other, spent: 0 } : other))
      .sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  }));
}

/** The index (into the caller's periods) of the period holding `date`, by binary search; -1 if none. */
function periodIndex(order: readonly { period: BudgetPeriodRange; index: number }[], date: string): number {
  let low = 0;
  let high = order.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const { period, index } = order[mid]!;
    if (date < period.start) high = mid - 1;
    else if (date >= period.end) low = mid + 1;
    else return index;
  }
  return -1;
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
