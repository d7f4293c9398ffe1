/** Calendar arithmetic on `YYYY-MM-DD` strings, in UTC so the host's time zone never matters. */
const toDate = (date: string): Date => new Date(`${date}T00:00:00.000Z`);
const fromDate = (d: Date): string => d.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  const d = toDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromDate(d);
}

/** 0 is Sunday. */
export function dayOfWeek(date: string): number {
  return toDate(date).getUTCDay();
}

export function dayOfMonth(date: string): number {
  return toDate(date).getUTCDate();
}

export function isLastDayOfMonth(date: string): boolean {
  return dayOfMonth(addDays(date, 1)) === 1;
}

export function isCalendarDate(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(toDate(value).getTime()) &&
    fromDate(toDate(value)) === value
  );
}

export function todayUtc(now: Date = new Date()): string {
  return fromDate(now);
}
