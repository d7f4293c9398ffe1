import { describe, expect, it } from 'vitest';
import {
  type BudgetPeriodRule,
  budgetPeriodAt,
  budgetPeriodContaining,
  daysLeftInPeriod,
  nextBudgetPeriod,
  previousBudgetPeriod,
} from './budget-period.js';
import { addMonths, daysInMonth, monthsBetween } from './calendar-date.js';
import { zonedDate } from './zoned-date.js';

const monthly = (periodStartDay: number): BudgetPeriodRule => ({
  period: 'monthly',
  periodStartDay,
  weekStartsOn: 1,
});
const weekly = (weekStartsOn: number): BudgetPeriodRule => ({
  period: 'weekly',
  periodStartDay: 1,
  weekStartsOn,
});
const quarterly = (periodStartDay: number): BudgetPeriodRule => ({
  period: 'quarterly',
  periodStartDay,
  weekStartsOn: 1,
});
const yearly = (periodStartDay: number): BudgetPeriodRule => ({
  period: 'yearly',
  periodStartDay,
  weekStartsOn: 1,
});

describe('budgetPeriodContaining', () => {
  it.each([
    // month ends and 31-day months
    [
      'monthly from the 1st, last day of a 31-day month',
      monthly(1),
      '2024-01-31',
      '2024-01-01',
      '2024-02-01',
    ],
    ['monthly from the 1st, first day', monthly(1), '2024-03-01', '2024-03-01', '2024-04-01'],
    [
      'monthly from the 1st, Dec wraps into the next year',
      monthly(1),
      '2024-12-31',
      '2024-12-01',
      '2025-01-01',
    ],
    ['monthly from the 15th, before the start day', monthly(15), '2024-03-14', '2024-02-15', '2024-03-15'],
    ['monthly from the 15th, on the start day', monthly(15), '2024-03-15', '2024-03-15', '2024-04-15'],
    ['monthly from the 15th, January before the 15th', monthly(15), '2024-01-03', '2023-12-15', '2024-01-15'],
    // start day 28 through February, leap and common years
    ['start 28, leap February 29', monthly(28), '2024-02-29', '2024-02-28', '2024-03-28'],
    ['start 28, leap February 27', monthly(28), '2024-02-27', '2024-01-28', '2024-02-28'],
    ['start 28, common February 28', monthly(28), '2023-02-28', '2023-02-28', '2023-03-28'],
    ['start 28, March 1 of a common year', monthly(28), '2023-03-01', '2023-02-28', '2023-03-28'],
    ['start 28, the 31st', monthly(28), '2024-01-31', '2024-01-28', '2024-02-28'],
    // week starts
    ['week from Monday, on a Sunday', weekly(1), '2024-03-10', '2024-03-04', '2024-03-11'],
    ['week from Monday, on a Monday', weekly(1), '2024-03-11', '2024-03-11', '2024-03-18'],
    ['week from Sunday, on a Sunday', weekly(0), '2024-03-10', '2024-03-10', '2024-03-17'],
    ['week from Sunday, on a Saturday', weekly(0), '2024-03-16', '2024-03-10', '2024-03-17'],
    ['week from Saturday crossing a year', weekly(6), '2025-01-01', '2024-12-28', '2025-01-04'],
    ['week crossing leap day', weekly(1), '2024-02-29', '2024-02-26', '2024-03-04'],
    // quarters and years
    ['quarter from the 1st', quarterly(1), '2024-05-20', '2024-04-01', '2024-07-01'],
    ['quarter from the 10th, before it in January', quarterly(10), '2024-01-09', '2023-10-10', '2024-01-10'],
    ['quarter from the 10th, December', quarterly(10), '2024-12-31', '2024-10-10', '2025-01-10'],
    ['year from the 1st', yearly(1), '2024-02-29', '2024-01-01', '2025-01-01'],
    ['year from the 5th, on Jan 4', yearly(5), '2024-01-04', '2023-01-05', '2024-01-05'],
  ])('%s', (_name, rule, date, start, end) => {
    expect(budgetPeriodContaining(rule, date)).toEqual({ start, end });
  });

  it.each([monthly(1), monthly(28), weekly(0), quarterly(15), yearly(3)])(
    'periods tile the calendar without gaps or overlaps (%o)',
    (rule) => {
      let period = budgetPeriodContaining(rule, '2023-11-20');
      for (let i = 0; i < 30; i += 1) {
        const next = nextBudgetPeriod(rule, period);
        expect(next.start).toBe(period.end);
        expect(previousBudgetPeriod(rule, next)).toEqual(period);
        expect(budgetPeriodContaining(rule, next.start)).toEqual(next);
        period = next;
      }
    },
  );
});

describe('zoned dates and the current period', () => {
  it.each([
    // America/New_York: spring forward 2024-03-10 02:00 EST, fall back 2024-11-03 02:00 EDT
    [
      'New York, 23:30 EST the night before spring forward',
      '2024-03-10T04:30:00Z',
      'America/New_York',
      '2024-03-09',
    ],
    [
      'New York, midnight EST on the spring-forward day',
      '2024-03-10T05:00:00Z',
      'America/New_York',
      '2024-03-10',
    ],
    [
      'New York, 23:30 EDT on the spring-forward day',
      '2024-03-11T03:30:00Z',
      'America/New_York',
      '2024-03-10',
    ],
    ['New York, 23:30 EST on the fall-back day', '2024-11-04T04:30:00Z', 'America/New_York', '2024-11-03'],
    ['New York, 00:30 EST after the fall-back day', '2024-11-04T05:30:00Z', 'America/New_York', '2024-11-04'],
    // Europe/Berlin: spring forward 2024-03-31 02:00 CET, fall back 2024-10-27 03:00 CEST
    ['Berlin, 00:30 CEST on April 1', '2024-03-31T22:30:00Z', 'Europe/Berlin', '2024-04-01'],
    ['Berlin, 23:30 CEST on March 31', '2024-03-31T21:30:00Z', 'Europe/Berlin', '2024-03-31'],
    ['Berlin, 00:30 CET on November 1', '2024-10-31T23:30:00Z', 'Europe/Berlin', '2024-11-01'],
    // both sides of UTC
    ['Auckland is already tomorrow', '2024-01-31T12:00:00Z', 'Pacific/Auckland', '2024-02-01'],
    ['Honolulu is still yesterday', '2024-03-01T09:00:00Z', 'Pacific/Honolulu', '2024-02-29'],
    ['UTC', '2024-03-01T00:00:00Z', 'UTC', '2024-03-01'],
  ])('%s', (_name, instant, zone, date) => {
    expect(zonedDate(new Date(instant), zone)).toBe(date);
  });

  it('answers each instant afresh across a day boundary, however often asked within one second', () => {
    // The last answer per zone is remembered for its second: the next second may be another day.
    const zone = 'Asia/Kathmandu'; // +05:45, so its midnight is 18:15 UTC
    for (let i = 0; i < 3; i += 1) {
      expect(zonedDate(new Date('2024-05-01T18:14:59.000Z'), zone)).toBe('2024-05-01');
      expect(zonedDate(new Date('2024-05-01T18:14:59.999Z'), zone)).toBe('2024-05-01');
      expect(zonedDate(new Date('2024-05-01T18:15:00.000Z'), zone)).toBe('2024-05-02');
    }
    expect(zonedDate(new Date('1960-01-01T00:44:29Z'), 'Africa/Monrovia'), 'an offset of -0:44:30').toBe(
      '1959-12-31',
    );
    expect(zonedDate(new Date('1960-01-01T00:44:30Z'), 'Africa/Monrovia')).toBe('1960-01-01');
  });

  it.each([
    // The same instant falls in different months for users on either side of UTC.
    ['Auckland', 'Pacific/Auckland', '2024-02-01', '2024-03-01'],
    ['Honolulu', 'Pacific/Honolulu', '2024-01-01', '2024-02-01'],
    ['London', 'Europe/London', '2024-01-01', '2024-02-01'],
  ])('the monthly period at 2024-01-31T12:00Z in %s', (_name, zone, start, end) => {
    expect(budgetPeriodAt(monthly(1), new Date('2024-01-31T12:00:00Z'), zone)).toEqual({ start, end });
  });

  it('a week that starts on Monday begins on Monday in Auckland while UTC is still on Sunday', () => {
    // 2024-03-10T12:00Z is Sunday in UTC, Monday 01:00 in Auckland (NZDT, UTC+13).
    const instant = new Date('2024-03-10T12:00:00Z');
    expect(budgetPeriodAt(weekly(1), instant, 'Pacific/Auckland').start).toBe('2024-03-11');
    expect(budgetPeriodAt(weekly(1), instant, 'UTC').start).toBe('2024-03-04');
  });
});

describe('daysLeftInPeriod', () => {
  const march = { start: '2024-03-01', end: '2024-04-01' };
  it.each([
    ['first day', '2024-03-01', 31],
    ['last day counts itself', '2024-03-31', 1],
    ['after the period', '2024-04-01', 0],
    ['before the period', '2024-02-10', 31],
    ['mid period across the New York DST change (still calendar days)', '2024-03-10', 22],
  ])('%s', (_name, today, left) => {
    expect(daysLeftInPeriod(march, today)).toBe(left);
  });
});

describe('calendar month arithmetic', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-11-15', 3, '2025-02-15'],
    ['2024-01-15', -13, '2022-12-15'],
  ])('addMonths(%s, %i) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2024-01-31', '2024-02-29', 1],
    ['2024-01-15', '2024-07-14', 5],
    ['2024-01-15', '2024-07-15', 6],
    ['2024-07-15', '2024-01-15', -6],
    ['2024-03-10', '2024-03-10', 0],
  ])('monthsBetween(%s, %s) = %i', (from, to, months) => {
    expect(monthsBetween(from, to)).toBe(months);
  });

  it.each([
    [2024, 2, 29],
    [2023, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2024, 4, 30],
    [2024, 12, 31],
  ])('daysInMonth(%i, %i) = %i', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });
});
