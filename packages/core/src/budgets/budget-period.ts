import type { Budget } from '../schemas/budget.js';
import {
  addDays,
  addMonths,
  dayOfWeek,
  daysBetween,
  formatCalendarDate,
  parseCalendarDate,
} from './calendar-date.js';
import { zonedDate } from './zoned-date.js';

/** The fields that decide where a budget's periods begin. */
export type BudgetPeriodRule = Pick<Budget, 'period' | 'periodStartDay' | 'weekStartsOn'>;

/** A budget period as calendar dates: `start` inclusive, `end` exclusive (the next period's start). */
export interface BudgetPeriodRange {
  start: string;
  end: string;
}

const monthsPerPeriod = { monthly: 1, quarterly: 3, yearly: 12 } as const;

/**
 * The period containing `date`. Monthly, quarterly and yearly periods start on `periodStartDay`
 * of a month; quarters are aligned to January, April, July and October and years to January, so
 * two budgets with the same rule always share boundaries. Weekly periods start on `weekStartsOn`.
 */
export function budgetPeriodContaining(rule: BudgetPeriodRule, date: string): BudgetPeriodRange {
  if (rule.period === 'weekly') {
    const start = addDays(date, -((dayOfWeek(date) - rule.weekStartsOn + 7) % 7));
    return { start, end: addDays(start, 7) };
  }
  const { year, month, day } = parseCalendarDate(date);
  const step = monthsPerPeriod[rule.period];
  // Months counted from year 0; a date before the start day belongs to the previous month's period.
  const monthIndex = year * 12 + (month - 1) - (day < rule.periodStartDay ? 1 : 0);
  const startIndex = monthIndex - (((monthIndex % step) + step) % step);
  const startYear = Math.floor(startIndex / 12);
  const start = formatCalendarDate({
    year: startYear,
    month: startIndex - startYear * 12 + 1,
    day: rule.periodStartDay,
  });
  return { start, end: addMonths(start, step) };
}

/** The period a user in `timeZone` is in at `instant`. */
export function budgetPeriodAt(rule: BudgetPeriodRule, instant: Date, timeZone: string): BudgetPeriodRange {
  return budgetPeriodContaining(rule, zonedDate(instant, timeZone));
}

export function nextBudgetPeriod(rule: BudgetPeriodRule, period: BudgetPeriodRange): BudgetPeriodRange {
  return budgetPeriodContaining(rule, period.end);
}

export function previousBudgetPeriod(rule: BudgetPeriodRule, period: BudgetPeriodRange): BudgetPeriodRange {
  return budgetPeriodContaining(rule, addDays(period.start, -1));
}

export function periodLengthInDays(period: BudgetPeriodRange): number {
  return daysBetween(period.start, period.end);
}

/**
 * Days of the period still to come, counting `today` itself: 1 on the period's last day, 0 once it
 * has ended, the whole length before it begins.
 */
export function daysLeftInPeriod(period: BudgetPeriodRange, today: string): number {
  if (today < period.start) return periodLengthInDays(period);
  if (today >= period.end) return 0;
  return daysBetween(today, period.end);
}
