import { FinkitError, notFound } from '../errors/finkit-error.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { AggregateQuery, Store } from '../ports/store.js';
import type { Budget } from '../schemas/budget.js';
import type { FinkitEvent } from '../schemas/event.js';
import { isDeepEqual } from '../store/is-deep-equal.js';
import {
  type BudgetPeriodRange,
  budgetPeriodContaining,
  nextBudgetPeriod,
  previousBudgetPeriod,
} from './budget-period.js';
import {
  type BudgetPeriodSummary,
  type BudgetProgress,
  computeBudgetProgress,
  crossedThresholds,
} from './budget-progress.js';
import {
  type PeriodSpending,
  planBudgetSpending,
  readBudgetSpending,
  sumBudgetSpending,
} from './budget-spending.js';
import { type BudgetSuggestion, type BudgetSuggestionOptions, suggestBudgets } from './suggest-budgets.js';
import { zonedDate } from './zoned-date.js';

export interface BudgetEngineDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
}

export interface BudgetEngine {
  /**
   * Progress for the period containing `date` (a calendar date), or for the current period in the
   * budget's zone; an ended budget shows its last period, one not started yet its first.
   * @throws NOT_FOUND; VALIDATION when `date` falls outside the budget's periods.
   */
  progress(userId: string, budgetId: string, options?: { date?: string }): Promise<BudgetProgress>;
  /** Current progress of every budget of the user that is running today. */
  progressAll(userId: string): Promise<BudgetProgress[]>;
  /**
   * The last `periods` (default 6, at most 120) complete periods, oldest first: budgeted, spent
   * and rolled over. Fewer when the budget is younger. @throws NOT_FOUND
   */
  history(userId: string, budgetId: string, options?: { periods?: number }): Promise<BudgetPeriodSummary[]>;
  /** Per expense category, the median monthly spend of the last 3–6 complete months. */
  suggestions(userId: string, options?: BudgetSuggestionOptions): Promise<BudgetSuggestion[]>;
  /**
   * Publishes `budget.threshold_crossed` for each threshold the current period's spending has
   * reached, once per budget, period and threshold: re-evaluating, spending that falls and rises
   * again, a restart or a concurrent evaluation (in another process when the store's locks are
   * cross-process) never repeats it. Call after every sync and transaction edit. Returns the
   * events this call published.
   */
  evaluateBudgets(userId: string): Promise<FinkitEvent<'budget.threshold_crossed'>[]>;
}

interface BudgetSpan {
  first: BudgetPeriodRange;
  /** null for a budget without an end date. */
  last: BudgetPeriodRange | null;
}

const spanOf = (budget: Budget): BudgetSpan => ({
  first: budgetPeriodContaining(budget, budget.startDate),
  last: budget.endDate === null ? null : budgetPeriodContaining(budget, budget.endDate),
});

/** Periods from `from` through `to`, in order. */
function periodsBetween(budget: Budget, from: BudgetPeriodRange, to: BudgetPeriodRange): BudgetPeriodRange[] {
  const periods: BudgetPeriodRange[] = [];
  for (let period = from; period.start <= to.start; period = nextBudgetPeriod(budget, period)) {
    periods.push(period);
  }
  return periods;
}

/**
 * The periods to read for summaries of `from` through `to`: with rollover every period from the
 * budget's first one, since what carries into `from` depends on all before it.
 */
function periodsToRead(budget: Budget, span: BudgetSpan, from: BudgetPeriodRange, to: BudgetPeriodRange) {
  return periodsBetween(budget, budget.rollover ? span.first : from, to);
}

/** Summaries of the periods from `from` on, given the spending of each period read (in order). */
function summarize(
  budget: Budget,
  periods: readonly BudgetPeriodRange[],
  spending: readonly PeriodSpending[],
  from: BudgetPeriodRange,
): BudgetPeriodSummary[] {
  const summaries: BudgetPeriodSummary[] = [];
  let carry = 0;
  periods.forEach((period, index) => {
    const { spent, ignored } = spending[index]!;
    const budgeted = budget.amount + carry;
    const remaining = budgeted - spent;
    if (period.start >= from.start) {
      summaries.push({
        period,
        amount: budget.amount,
        rolledOver: carry,
        budgeted,
        spent,
        remaining,
        ignored,
      });
    }
    carry = budget.rollover ? remaining : 0;
  });
  return summaries;
}

export function createBudgetEngine({ store, events, clock }: BudgetEngineDeps): BudgetEngine {
  // Per read kind and budget, the spending query the last read needed. The store is asked for it
  // together with the budget and categories, one round trip instead of three; the rows are used
  // only when the fresh budget and categories call for that same query.
  const lastQueries = new Map<string, AggregateQuery | null>();

  /**
   * A budget, the periods `choose` picks for it and their spending. @throws NOT_FOUND, and
   * whatever `choose` throws.
   */
  async function readBudget<T extends { periods: readonly BudgetPeriodRange[] }>(
    kind: 'progress' | 'history',
    userId: string,
    budgetId: string,
    choose: (budget: Budget) => T,
  ): Promise<{ budget: Budget; chosen: T; spending: PeriodSpending[] }> {
    const key = `${kind}\u0000${userId}\u0000${budgetId}`;
    const guess = lastQueries.get(key) ?? undefined;
    const found = await store.budgets.snapshot(userId, budgetId, guess);
    if (found === null) {
      lastQueries.delete(key);
      throw notFound('Budget', budgetId);
    }
    const { budget, categories } = found;
    const chosen = choose(budget);
    const plan = planBudgetSpending(categories, [{ budget, periods: chosen.periods }]);
    const rows =
      plan.query === null
        ? []
        : guess !== undefined && isDeepEqual(plan.query, guess)
          ? found.spending
          : await store.transactions.aggregate(userId, plan.query);
    if (lastQueries.size >= 10_000) lastQueries.clear();
    lastQueries.set(key, plan.query);
    return { budget, chosen, spending: sumBudgetSpending(plan, rows)[0]! };
  }

  /** Today's period, or null when the budget is not running today. */
  function currentPeriod(budget: Budget, today: string): BudgetPeriodRange | null {
    const span = spanOf(budget);
    const period = budgetPeriodContaining(budget, today);
    if (period.start < span.first.start || (span.last !== null && period.start > span.last.start))
      return null;
    return period;
  }

  // Crossings this engine has seen recorded. A record is permanent (a deleted budget's id never
  // returns), so skipping the store for them saves a write per threshold on every evaluation.
  const recorded = new Set<string>();

  /** The store decides who was first; an alert already recorded is never published again. */
  async function recordCrossing(userId: string, budgetId: string, periodStart: string, threshold: number) {
    const key = `${userId}\u0000${budgetId}\u0000${periodStart}\u0000${threshold}`;
    if (recorded.has(key)) return false;
    try {
      const first = await store.budgets.recordThresholdCrossing(userId, budgetId, periodStart, threshold);
      if (recorded.size >= 100_000) recorded.clear();
      recorded.add(key);
      return first;
    } catch (error) {
      // Deleted while being evaluated: nothing left to alert about.
      if (FinkitError.hasCode(error, 'NOT_FOUND')) return false;
      throw error;
    }
  }

  /** Every running budget's current progress, from one spending read for all of them. */
  async function runningProgress(userId: string): Promise<{ budget: Budget; progress: BudgetProgress }[]> {
    const now = clock.now();
    const running = (await store.budgets.list(userId)).flatMap((budget) => {
      const today = zonedDate(now, budget.timezone);
      const period = currentPeriod(budget, today);
      if (period === null) return [];
      return [{ budget, period, today, periods: periodsToRead(budget, spanOf(budget), period, period) }];
    });
    // Evaluation follows every sync: a user without a running budget costs this one read.
    if (running.length === 0) return [];
    const categories = await store.categories.list(userId);
    const spending = await readBudgetSpending(store, userId, categories, running);
    return running.map(({ budget, period, today, periods }, index) => {
      const [summary] = summarize(budget, periods, spending[index]!, period);
      return {
        budget,
        progress: computeBudgetProgress({
          ...summary!,
          budgetId: budget.id,
          currency: budget.currency,
          today,
        }),
      };
    });
  }

  return {
    async progress(userId, budgetId, options = {}) {
      const { budget, chosen, spending } = await readBudget('progress', userId, budgetId, (budget) => {
        const span = spanOf(budget);
        const today = zonedDate(clock.now(), budget.timezone);
        let period: BudgetPeriodRange;
        if (options.date !== undefined) {
          period = budgetPeriodContaining(budget, options.date);
          if (period.start < span.first.start || (span.last !== null && period.start > span.last.start)) {
            throw new FinkitError(
              'VALIDATION',
              `Budget ${budgetId} has no period containing ${options.date}`,
              {
                details: { issues: [{ path: 'date', message: 'Outside the budget' }], date: options.date },
              },
            );
          }
        } else {
          period = budgetPeriodContaining(budget, today);
          if (period.start < span.first.start) period = span.first;
          if (span.last !== null && period.start > span.last.start) period = span.last;
        }
        return { today, period, periods: periodsToRead(budget, span, period, period) };
      });
      const [summary] = summarize(budget, chosen.periods, spending, chosen.period);
      return computeBudgetProgress({
        ...summary!,
        budgetId: budget.id,
        currency: budget.currency,
        today: chosen.today,
      });
    },

    progressAll: async (userId) => (await runningProgress(userId)).map(({ progress }) => progress),

    async history(userId, budgetId, options = {}) {
      const count = options.periods ?? 6;
      if (!Number.isInteger(count) || count < 1 || count > 120) {
        throw new FinkitError('VALIDATION', `periods must be an integer from 1 to 120, got ${count}`, {
          details: { issues: [{ path: 'periods', message: 'From 1 to 120' }] },
        });
      }
      const { budget, chosen, spending } = await readBudget('history', userId, budgetId, (budget) => {
        const span = spanOf(budget);
        const today = zonedDate(clock.now(), budget.timezone);
        const current = budgetPeriodContaining(budget, today);
        const latest =
          span.last !== null && current.start > span.last.start
            ? span.last
            : previousBudgetPeriod(budget, current);
        // Not one period complete yet: nothing to read.
        if (latest.start < span.first.start) return { from: null, periods: [] };
        let from = latest;
        for (let i = 1; i < count && from.start > span.first.start; i += 1)
          from = previousBudgetPeriod(budget, from);
        return { from, periods: periodsToRead(budget, span, from, latest) };
      });
      return chosen.from === null ? [] : summarize(budget, chosen.periods, spending, chosen.from);
    },

    suggestions: (userId, options = {}) => suggestBudgets(store, userId, clock.now(), options),

    async evaluateBudgets(userId) {
      const published: FinkitEvent<'budget.threshold_crossed'>[] = [];
      for (const { budget, progress: item } of await runningProgress(userId)) {
        for (const threshold of crossedThresholds(item, budget.thresholds)) {
          if (!(await recordCrossing(userId, budget.id, item.period.start, threshold))) continue;
          const event: FinkitEvent<'budget.threshold_crossed'> = {
            type: 'budget.threshold_crossed',
            userId,
            at: clock.now().toISOString(),
            data: {
              budgetId: budget.id,
              periodStart: item.period.start,
              threshold,
              spent: item.spent,
              budgeted: item.budgeted,
              currency: item.currency,
            },
          };
          await events.publish(event);
          published.push(event);
        }
      }
      return published;
    },
  };
}
