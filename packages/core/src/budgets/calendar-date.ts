import { FinkitError } from '../errors/finkit-error.js';

/*
 * Arithmetic on calendar dates (`YYYY-MM-DD`). Transactions carry dates, not instants, so budget
 * periods and goal months are date ranges; the arithmetic runs on UTC midnights, where every day
 * has 24 hours and no zone's DST can shift a boundary.
 */

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const msPerDay = 86_400_000;

export interface DateParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
}

export function parseCalendarDate(date: string): DateParts {
  const match = datePattern.exec(date);
  if (match) {
    const parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    if (formatCalendarDate(parts) === date) return parts;
  }
  throw new FinkitError('VALIDATION', `Not a calendar date (YYYY-MM-DD): ${date}`, { details: { date } });
}

/** Normalizes overflowing parts: month 13 is January of the next year, day 0 the previous month's last. */
export function formatCalendarDate(parts: DateParts): string {
  const d = utcMidnight(parts);
  const yyyy = String(d.getUTCFullYear()).padStart(4, '0');
  return `${yyyy}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

// setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
function utcMidnight({ year, month, day }: DateParts): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

function toUtcMs(date: string): number {
  return utcMidnight(parseCalendarDate(date)).getTime();
}

function fromUtcMs(ms: number): string {
  const d = new Date(ms);
  return formatCalendarDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * msPerDay);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / msPerDay);
}

/** 0 Sunday … 6 Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return utcMidnight({ year, month: month + 1, day: 0 }).getUTCDate();
}

/**
 * Moves by whole months, keeping the day when it exists and otherwise taking the month's last day
 * (Jan 31 + 1 month = Feb 28 or 29), the way people count "a month later".
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseCalendarDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return formatCalendarDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** Whole months from `from` to `to`, counted the way `addMonths` steps (never overshooting `to`). */
export function monthsBetween(from: string, to: string): number {
  const a = parseCalendarDate(from);
  const b = parseCalendarDate(to);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (months > 0 && addMonths(from, months) > to) months -= 1;
  if (months < 0 && addMonths(from, months) < to) months += 1;
  return months;
}
