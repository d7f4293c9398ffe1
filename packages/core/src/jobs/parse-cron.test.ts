import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { nextCronTime, parseCron } from './parse-cron.js';

const next = (expression: string, after: string) => nextCronTime(expression, new Date(after)).toISOString();

describe('parseCron', () => {
  it('expands *, lists, ranges and steps', () => {
    const schedule = parseCron('*/15 9-17 1,15 * 1-5');
    expect([...schedule.minutes]).toEqual([0, 15, 30, 45]);
    expect([...schedule.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...schedule.daysOfMonth]).toEqual([1, 15]);
    expect(schedule.months.size).toBe(12);
    expect([...schedule.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(schedule.anyDayOfMonth).toBe(false);
    expect(schedule.anyDayOfWeek).toBe(false);
  });

  it('reads stepped ranges, start/step, names and 7 as Sunday', () => {
    expect([...parseCron('0-20/10 * * * *').minutes]).toEqual([0, 10, 20]);
    expect([...parseCron('50/5 * * * *').minutes]).toEqual([50, 55]);
    expect([...parseCron('0 0 * jan-mar,DEC *').months]).toEqual([1, 2, 3, 12]);
    expect([...parseCron('0 0 * * MON-FRI').daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect([...parseCron('  5   4 * * sun ').minutes]).toEqual([5]);
  });

  it.each([
    '',
    '* * * *',
    '* * * * * *',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *',
    '* * 32 * *',
    '* * * 13 *',
    '* * * * 8',
    '*/0 * * * *',
    '5-1 * * * *',
    '1-2-3 * * * *',
    '1,,2 * * * *',
    '*/5/2 * * * *',
    'a * * * *',
    '-1 * * * *',
    '1.5 * * * *',
    '@hourly',
  ])('rejects %j with VALIDATION', (expression) => {
    let caught: unknown;
    try {
      parseCron(expression);
    } catch (error) {
      caught = error;
    }
    expect(FinkitError.hasCode(caught, 'VALIDATION')).toBe(true);
  });
});

describe('nextCronTime', () => {
  it('finds the next hour, strictly after the given time', () => {
    expect(next('0 * * * *', '2024-03-10T10:20:30Z')).toBe('2024-03-10T11:00:00.000Z');
    expect(next('0 * * * *', '2024-03-10T11:00:00Z')).toBe('2024-03-10T12:00:00.000Z');
    expect(next('0 * * * *', '2024-03-10T10:59:59.999Z')).toBe('2024-03-10T11:00:00.000Z');
    expect(next('* * * * *', '2024-03-10T10:20:30Z')).toBe('2024-03-10T10:21:00.000Z');
  });

  it('walks working hours on weekdays', () => {
    // 2024-03-08 is a Friday.
    expect(next('*/15 9-17 * * 1-5', '2024-03-08T09:07:00Z')).toBe('2024-03-08T09:15:00.000Z');
    expect(next('*/15 9-17 * * 1-5', '2024-03-08T17:45:00Z')).toBe('2024-03-11T09:00:00.000Z');
    expect(next('*/15 9-17 * * 1-5', '2024-03-09T12:00:00Z')).toBe('2024-03-11T09:00:00.000Z');
  });

  it('crosses months and years, and finds leap days', () => {
    expect(next('30 2 1 * *', '2024-01-31T23:00:00Z')).toBe('2024-02-01T02:30:00.000Z');
    expect(next('0 0 1 1 *', '2024-06-15T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
    expect(next('0 0 31 * *', '2024-04-01T00:00:00Z')).toBe('2024-05-31T00:00:00.000Z');
    expect(next('0 12 29 2 *', '2025-01-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
  });

  it('matches either day field when both are restricted, as classic cron does', () => {
    // The 13th, or any Friday: 2024-09-06 is a Friday before the 13th.
    expect(next('0 0 13 * 5', '2024-09-01T00:00:00Z')).toBe('2024-09-06T00:00:00.000Z');
    // Only the 13th when weekday is *.
    expect(next('0 0 13 * *', '2024-09-01T00:00:00Z')).toBe('2024-09-13T00:00:00.000Z');
    // Only Fridays when day of month is *.
    expect(next('0 0 * * 5', '2024-09-07T00:00:00Z')).toBe('2024-09-13T00:00:00.000Z');
  });

  it('uses UTC whatever the local zone', () => {
    expect(next('0 0 * * *', '2024-03-10T23:59:00-05:00')).toBe('2024-03-12T00:00:00.000Z');
  });

  it('rejects expressions that never match', () => {
    expect(() => nextCronTime('0 0 30 2 *', new Date('2024-01-01T00:00:00Z'))).toThrow(/never matches/);
    expect(() => nextCronTime('0 0 * * *', new Date('nope'))).toThrow(FinkitError);
  });
});
