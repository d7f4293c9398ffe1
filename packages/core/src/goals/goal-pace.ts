import { addMonths, daysBetween } from '../budgets/calendar-date.js';

/** How far back the current pace looks. */
export const paceWindowMonths = 3;

const averageDaysPerMonth = 365.2425 / 12;

/** The dates `(from, to]` over which the pace is measured and the number of months they span. */
export interface PaceWindow {
  /** Exclusive. */
  from: string;
  /** Inclusive: today. */
  to: string;
  months: number;
}

/**
 * The last three months up to today; a goal that began more recently is measured since it began,
 * counted as at least one month so a first contribution is not extrapolated from a few days.
 */
export function paceWindow(today: string, firstActivity: string | null): PaceWindow {
  const from = addMonths(today, -paceWindowMonths);
  if (firstActivity === null || firstActivity <= from) return { from, to: today, months: paceWindowMonths };
  const days = daysBetween(firstActivity, today) + 1;
  return { from, to: today, months: Math.min(paceWindowMonths, Math.max(1, days / averageDaysPerMonth)) };
}

/** Average net money per month over the window, rounded to whole minor units. */
export function monthlyPace(netAmountInWindow: number, window: PaceWindow): number {
  const pace = Math.round(netAmountInWindow / window.months);
  return pace === 0 ? 0 : pace;
}
