import type { LocalTime } from './notification-preferences.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight at `instant` in `timeZone`. */
export function localMinutes(instant: Date, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(instant)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

export function parseLocalTime(value: LocalTime): number {
  const [hour = 0, minute = 0] = value.split(':').map(Number);
  return hour * 60 + minute;
}

/** The first instant after `from` when the wall clock in `timeZone` reads `at`. */
export function nextLocalTime(from: Date, at: LocalTime, timeZone: string): Date {
  const target = parseLocalTime(at);
  const startOfMinute = Math.floor(from.getTime() / 60_000) * 60_000;
  let delta = (target - localMinutes(from, timeZone) + 1440) % 1440 || 1440;
  let candidate = new Date(startOfMinute + delta * 60_000);
  // Across a DST change the offset moves; correct once by what the clock actually reads.
  const drift = (target - localMinutes(candidate, timeZone) + 1440) % 1440;
  if (drift !== 0) {
    delta += drift > 720 ? drift - 1440 : drift;
    candidate = new Date(startOfMinute + delta * 60_000);
  }
  return candidate;
}

/** When quiet hours that contain `now` end, or null when it is not quiet. */
export function quietUntil(
  now: Date,
  quiet: { start: LocalTime; end: LocalTime },
  timeZone: string,
): Date | null {
  const minute = localMinutes(now, timeZone);
  const start = parseLocalTime(quiet.start);
  const end = parseLocalTime(quiet.end);
  const inside = start <= end ? minute >= start && minute < end : minute >= start || minute < end;
  return inside ? nextLocalTime(now, quiet.end, timeZone) : null;
}
