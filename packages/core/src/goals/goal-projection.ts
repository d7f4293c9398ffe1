import { addMonths, monthsBetween } from '../budgets/calendar-date.js';

/** Beyond this a projection says "never": fifty years of monthly steps. */
export const maxProjectionMonths = 600;

/**
 * - `reached`: the balance is at or above the target.
 * - `on_track`: at the current pace the target is reached on or before the target date.
 * - `off_track`: it is not (including no contributions yet, or withdrawals).
 * - `overdue`: the target date has passed without reaching the target.
 * - `no_target_date`: nothing to be on or off track for.
 */
export type GoalStatus = 'reached' | 'on_track' | 'off_track' | 'overdue' | 'no_target_date';

export interface GoalProjectionInput {
  /** Progress so far, minor units (may be negative, e.g. a linked credit account). */
  current: number;
  /** Positive minor units. */
  target: number;
  /** Fraction per year (0.045 = 4.5%), compounded monthly. */
  annualYield: number;
  targetDate: string | null;
  /** The user's calendar date. */
  today: string;
  /** Average net contribution per month, minor units; negative when money is being withdrawn. */
  monthlyPace: number;
}

export interface GoalProjectionPoint {
  date: string;
  /** Projected balance at the current pace, rounded to whole minor units. */
  balance: number;
}

export interface GoalProjection {
  current: number;
  target: number;
  /** Target minus current, never below 0. */
  remaining: number;
  /** Current as a percentage of the target (may exceed 100 or be negative). */
  percent: number;
  status: GoalStatus;
  /** Whole months from today to the target date; 0 once it has passed; null without a date. */
  monthsRemaining: number | null;
  /**
   * The end-of-month contribution that reaches the target on the target date, rounded up to a
   * whole minor unit: 0 when reached or when yield alone gets there; null without a future date.
   * When the date is less than a month away, the whole remainder is due in one contribution.
   */
  requiredMonthlyContribution: number | null;
  monthlyPace: number;
  /** When the current pace reaches the target; null when it never does within 600 months. */
  projectedCompletionDate: string | null;
  monthsToCompletion: number | null;
  /**
   * Month-by-month balance at the current pace, starting today: to the target date when it is in
   * the future, otherwise to the projected completion (12 months when there is none).
   */
  series: GoalProjectionPoint[];
}

/**
 * The end-of-month payment P of an ordinary annuity that, with the balance B0 compounding at the
 * monthly rate r for n months, reaches T: T = B0·(1+r)^n + P·((1+r)^n − 1)/r.
 */
export function requiredMonthlyPayment(
  current: number,
  target: number,
  annualYield: number,
  months: number,
): number {
  const r = annualYield / 12;
  const payment =
    r === 0
      ? (target - current) / months
      : ((target - current * (1 + r) ** months) * r) / ((1 + r) ** months - 1);
  // Rounded up so that paying it does reach the target; a tiny epsilon absorbs float noise in exact cases.
  return Math.max(0, Math.ceil(payment - 1e-9));
}

function monthsToReach(current: number, target: number, annualYield: number, pace: number): number | null {
  if (current >= target) return 0;
  const r = annualYield / 12;
  let balance = current;
  for (let month = 1; month <= maxProjectionMonths; month += 1) {
    const next = balance * (1 + r) + pace;
    if (next >= target - 1e-9) return month;
    // A balance that stops growing never gets there; saves 600 iterations for withdrawals.
    if (next <= balance) return null;
    balance = next;
  }
  return null;
}

export function projectGoal(input: GoalProjectionInput): GoalProjection {
  const { current, target, annualYield, targetDate, today, monthlyPace } = input;
  const reached = current >= target;
  const dateInFuture = targetDate !== null && targetDate > today;
  const monthsRemaining = targetDate === null ? null : dateInFuture ? monthsBetween(today, targetDate) : 0;
  const monthsToCompletion = monthsToReach(current, target, annualYield, monthlyPace);
  const projectedCompletionDate = monthsToCompletion === null ? null : addMonths(today, monthsToCompletion);

  let requiredMonthlyContribution: number | null = null;
  if (reached) requiredMonthlyContribution = 0;
  else if (dateInFuture && monthsRemaining !== null) {
    requiredMonthlyContribution = requiredMonthlyPayment(
      current,
      target,
      annualYield,
      Math.max(1, monthsRemaining),
    );
  }

  let status: GoalStatus;
  if (reached) status = 'reached';
  else if (targetDate === null) status = 'no_target_date';
  else if (!dateInFuture) status = 'overdue';
  else
    status =
      projectedCompletionDate !== null && projectedCompletionDate <= targetDate ? 'on_track' : 'off_track';

  let seriesMonths: number;
  if (reached) seriesMonths = 0;
  else if (dateInFuture && monthsRemaining !== null) seriesMonths = monthsRemaining;
  else seriesMonths = monthsToCompletion ?? 12;
  seriesMonths = Math.min(seriesMonths, maxProjectionMonths);

  const r = annualYield / 12;
  const series: GoalProjectionPoint[] = [{ date: today, balance: current }];
  let balance = current;
  for (let month = 1; month <= seriesMonths; month += 1) {
    // Floats while compounding; each point is rounded on the way out, never fed back.
    balance = balance * (1 + r) + monthlyPace;
    series.push({ date: addMonths(today, month), balance: Math.round(balance) });
  }

  return {
    current,
    target,
    remaining: Math.max(0, target - current),
    percent: Math.round((current / target) * 10_000) / 100,
    status,
    monthsRemaining,
    requiredMonthlyContribution,
    monthlyPace,
    projectedCompletionDate,
    monthsToCompletion,
    series,
  };
}
