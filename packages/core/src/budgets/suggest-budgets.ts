import { FinkitError } from '../errors/finkit-error.js';
import type { Store } from '../ports/store.js';
import { addDays, addMonths, monthsBetween } from './calendar-date.js';
import { median } from './median.js';
import { zonedDate } from './zoned-date.js';

export interface BudgetSuggestionOptions {
  /** Defaults to the currency most of the user's recent transactions are in. */
  currency?: string;
  /** The zone that decides which month is the current (incomplete) one. Default UTC. */
  timezone?: string;
  /** How many complete months to look back, 3 to 6 (default 6). */
  months?: number;
}

export interface BudgetSuggestion {
  categoryId: string;
  categoryName: string;
  currency: string;
  period: 'monthly';
  /** The median of the monthly spends, minor units. */
  amount: number;
  /** What was spent in each month used, oldest first (0 for a month without spending). */
  monthly: { month: string; spent: number }[];
}

const minMonths = 3;
const maxMonths = 6;

/**
 * A monthly budget per expense category: the median of its spending over the last complete
 * months (refunds netted). The median, unlike the mean, ignores one unusual month. Months before
 * the user's first transaction are not counted as zero; with fewer than three complete months of
 * history there is nothing to suggest yet, and the result is empty.
 */
export async function suggestBudgets(
  store: Store,
  userId: string,
  now: Date,
  options: BudgetSuggestionOptions = {},
): Promise<BudgetSuggestion[]> {
  const lookBack = options.months ?? maxMonths;
  if (!Number.isInteger(lookBack) || lookBack < minMonths || lookBack > maxMonths) {
    throw new FinkitError('VALIDATION', `months must be an integer from ${minMonths} to ${maxMonths}`, {
      details: { issues: [{ path: 'months', message: `From ${minMonths} to ${maxMonths}` }] },
    });
  }
  let today: string;
  try {
    today = zonedDate(now, options.timezone ?? 'UTC');
  } catch (error) {
    throw new FinkitError('VALIDATION', `Unknown time zone: ${options.timezone}`, {
      cause: error,
      details: { issues: [{ path: 'timezone', message: 'Unknown IANA time zone' }] },
    });
  }
  const thisMonth = `${today.slice(0, 7)}-01`;
  const windowStart = addMonths(thisMonth, -lookBack);
  // One query answers both questions: which currency and months have activity, and the spending
  // per category and month.
  const [days, categories] = await Promise.all([
    store.transactions.aggregate(userId, {
      groupBy: 'categoryDay',
      filter: { from: windowStart, to: addDays(thisMonth, -1) },
    }),
    store.categories.list(userId),
  ]);
  if (days.length === 0) return [];

  const counts = new Map<string, number>();
  let firstDate = thisMonth;
  for (const row of days) {
    counts.set(row.currency, (counts.get(row.currency) ?? 0) + row.count);
    if (row.date !== undefined && row.date < firstDate) firstDate = row.date;
  }
  const currency =
    options.currency ?? [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const firstMonth = `${firstDate.slice(0, 7)}-01`;
  const monthCount = monthsBetween(firstMonth, thisMonth);
  if (monthCount < minMonths) return [];

  const months = Array.from({ length: monthCount }, (_, i) => addMonths(firstMonth, i).slice(0, 7));
  // Net spending per category and month (`YYYY-MM`), in the chosen currency.
  const spentIn = new Map<string, number>();
  for (const row of days) {
    if (row.currency !== currency || row.date === undefined) continue;
    const key = `${row.key}\u0000${row.date.slice(0, 7)}`;
    spentIn.set(key, (spentIn.get(key) ?? 0) - (row.inflow + row.outflow));
  }

  const suggestions: BudgetSuggestion[] = [];
  for (const category of categories) {
    if (category.kind !== 'expense') continue;
    const monthly = months.map((month) => {
      const spent = spentIn.get(`${category.id}\u0000${month}`) ?? 0;
      return { month, spent: spent === 0 ? 0 : spent };
    });
    const amount = median(monthly.map((month) => month.spent));
    if (amount === null || amount <= 0) continue;
    suggestions.push({
      categoryId: category.id,
      categoryName: category.name,
      currency,
      period: 'monthly',
      amount,
      monthly,
    });
  }
  return suggestions.sort((a, b) => b.amount - a.amount || (a.categoryId < b.categoryId ? -1 : 1));
}
