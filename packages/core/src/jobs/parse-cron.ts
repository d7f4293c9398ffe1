import { FinkitError } from '../errors/finkit-error.js';

/** A parsed 5-field cron expression: the allowed values of each field. */
export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 is Sunday; 7 in the expression is read as 0. */
  readonly daysOfWeek: ReadonlySet<number>;
  /**
   * Whether the day-of-month and day-of-week fields start with `*`. As in classic cron, when
   * both are restricted a day matches if either matches; otherwise both must.
   */
  readonly anyDayOfMonth: boolean;
  readonly anyDayOfWeek: boolean;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function invalid(expression: string, reason: string): FinkitError<'VALIDATION'> {
  return new FinkitError('VALIDATION', `Invalid cron expression ${JSON.stringify(expression)}: ${reason}`, {
    details: { expression },
  });
}

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
  if (!/^\d{1,2}$/.test(text)) throw invalid(expression, `${JSON.stringify(text)} is not a ${spec.name}`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw invalid(expression, `${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, ...extra] = item.split('/');
    if (extra.length > 0) throw invalid(expression, `${JSON.stringify(item)} has more than one step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) {
        throw invalid(expression, `step ${JSON.stringify(stepText)} must be a positive integer`);
      }
      step = Number(stepText);
    }
    let start: number;
    let end: number;
    if (range === '*') {
      start = spec.min;
      end = spec.max;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2 || bounds.some((bound) => bound === '')) {
        throw invalid(expression, `${JSON.stringify(item)} is not a value, range or step`);
      }
      start = parseValue(bounds[0] ?? '', spec, expression);
      // `5/15` means from 5 to the end of the field in steps of 15.
      end = bounds[1] !== undefined ? parseValue(bounds[1], spec, expression) : stepText ? spec.max : start;
      if (start > end) throw invalid(expression, `range ${JSON.stringify(range)} runs backwards`);
    }
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return values;
}

/**
 * Parses a 5-field cron expression (minute hour day-of-month month day-of-week) with `*`, lists,
 * ranges, steps and English month and weekday abbreviations.
 * @throws FinkitError `VALIDATION` for anything else.
 */
export function parseCron(expression: string): CronSchedule {
  const parts = typeof expression === 'string' ? expression.trim().split(/\s+/) : [];
  if (parts.length !== 5) throw invalid(String(expression), 'expected 5 fields');
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = fields.map((spec, index) =>
    parseField(parts[index] ?? '', spec, expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    anyDayOfMonth: parts[2]?.startsWith('*') ?? false,
    anyDayOfWeek: parts[4]?.startsWith('*') ?? false,
  };
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const byMonthDay = schedule.daysOfMonth.has(date.getUTCDate());
  const byWeekDay = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.anyDayOfMonth || schedule.anyDayOfWeek) return byMonthDay && byWeekDay;
  return byMonthDay || byWeekDay;
}

// Long enough for any satisfiable expression (29 February on a given weekday recurs within 28
// years); an expression with no match in that span, like `0 0 30 2 *`, never fires.
const searchYears = 30;

/**
 * The first minute strictly after `after` that the expression matches, in UTC.
 * @throws FinkitError `VALIDATION` for a malformed expression or one that never matches.
 */
export function nextCronTime(expression: string | CronSchedule, after: Date): Date {
  const schedule = typeof expression === 'string' ? parseCron(expression) : expression;
  const time = new Date(after.getTime());
  if (Number.isNaN(time.getTime())) {
    throw new FinkitError('VALIDATION', 'nextCronTime needs a valid date');
  }
  time.setUTCSeconds(0, 0);
  time.setUTCMinutes(time.getUTCMinutes() + 1);
  const limit = time.getUTCFullYear() + searchYears;
  while (time.getUTCFullYear() <= limit) {
    if (!schedule.months.has(time.getUTCMonth() + 1)) {
      time.setUTCMonth(time.getUTCMonth() + 1, 1);
      time.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(schedule, time)) {
      time.setUTCDate(time.getUTCDate() + 1);
      time.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours.has(time.getUTCHours())) {
      time.setUTCHours(time.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes.has(time.getUTCMinutes())) {
      time.setUTCMinutes(time.getUTCMinutes() + 1, 0, 0);
    } else {
      return time;
    }
  }
  throw new FinkitError('VALIDATION', `Cron expression ${JSON.stringify(expression)} never matches`, {
    details: { expression: typeof expression === 'string' ? expression : null },
  });
}
