import { type BudgetPeriodRange, daysLeftInPeriod, periodLengthInDays } from './budget-period.js';
import type { IgnoredSpending } from './budget-spending.js';

/**
 * - `over`: spent more than budgeted.
 * - `at_risk`: not over yet, but the projected spend (spent so far ÷ days elapsed × days in the
 *   period) is more than budgeted. Only a current period can be at risk.
 * - `on_track`: neither.
 */
export type BudgetStatus = 'on_track' | 'at_risk' | 'over';

/** One period of a budget: what it had, what went out, and what carries on. */
export interface BudgetPeriodSummary {
  period: BudgetPeriodRange;
  /** The budget's amount per period. */
  amount: number;
  /** Carried in from the previous period (negative after overspending); 0 without rollover. */
  rolledOver: number;
  /** `amount + rolledOver`. */
  budgeted: number;
  spent: number;
  /** `budgeted − spent`: what rolls over to the next period when rollover is on. */
  remaining: number;
  ignored: IgnoredSpending[];
}

export interface BudgetProgress extends BudgetPeriodSummary {
  budgetId: string;
  currency: string;
  /** Spent as a percentage of budgeted, two decimals; null when nothing (or less) is budgeted. */
  percentUsed: number | null;
  daysInPeriod: number;
  /**
   * Days gone including today; the whole period once it has ended, 0 before it starts. Today is
   * both elapsed and left, so in a current period `daysElapsed + daysLeft = daysInPeriod + 1`.
   */
  daysElapsed: number;
  /** Days left including today. */
  daysLeft: number;
  /** What can still be spent per remaining day, rounded down: 0 when nothing remains. */
  dailyAllowance: number;
  /** Spending at the period's end at the pace so far; the actual spend for a period that ended. */
  projectedSpend: number;
  status: BudgetStatus;
}

export interface BudgetProgressInput extends BudgetPeriodSummary {
  budgetId: string;
  currency: string;
  /** The user's calendar date. */
  today: string;
}

/** Whole minor units of `value × numerator ÷ denominator`, rounded half up, in exact integer math. */
function scale(value: number, numerator: number, denominator: number): number {
  const n = BigInt(value) * BigInt(numerator) * 2n + BigInt(denominator);
  const d = BigInt(denominator) * 2n;
  let q = n / d;
  if (n % d !== 0n && n < 0n) q -= 1n;
  return Number(q);
}

export function computeBudgetProgress(input: BudgetProgressInput): BudgetProgress {
  const { budgetId, currency, today, ...summary } = input;
  const { period, budgeted, spent, remaining } = summary;
  const daysInPeriod = periodLengthInDays(period);
  const daysLeft = daysLeftInPeriod(period, today);
  // Today counts as elapsed (its spending has happened) and as left (it can still be spent).
  const daysElapsed = today < period.start ? 0 : daysLeft === 0 ? daysInPeriod : daysInPeriod - daysLeft + 1;
  const isCurrent = daysElapsed > 0 && daysLeft > 0;
  const projectedSpend = isCurrent && spent > 0 ? scale(spent, daysInPeriod, daysElapsed) : spent;
  // Compared before rounding: spent ÷ elapsed × length > budgeted, cross-multiplied.
  const paceExceeds = isCurrent ? spent * daysInPeriod > budgeted * daysElapsed : spent > budgeted;
  const status: BudgetStatus = spent > budgeted ? 'over' : paceExceeds ? 'at_risk' : 'on_track';
  return {
    budgetId,
    currency,
    ...summary,
    percentUsed: budgeted > 0 ? Math.round((spent / budgeted) * 10_000) / 100 : null,
    daysInPeriod,
    daysElapsed,
    daysLeft,
    dailyAllowance: daysLeft > 0 && remaining > 0 ? Math.floor(remaining / daysLeft) : 0,
    projectedSpend,
    status,
  };
}

/**
 * The thresholds (percent of budgeted) the spending has reached, in integer math: `spent × 100 ≥
 * threshold × budgeted`. When nothing is budgeted (overspending rolled over), any spending
 * reaches every threshold.
 */
export function crossedThresholds(
  progress: Pick<BudgetPeriodSummary, 'budgeted' | 'spent'>,
  thresholds: readonly number[],
): number[] {
  const { budgeted, spent } = progress;
  if (spent <= 0) return [];
  const crossed = thresholds.filter((threshold) => budgeted <= 0 || spent * 100 >= threshold * budgeted);
  return [...crossed].sort((a, b) => a - b);
}
