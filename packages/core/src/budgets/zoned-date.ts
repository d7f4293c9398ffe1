const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone; budgets validate their zone when saved.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// The last answer per zone, by second: every zone offset is whole seconds, so one second never
// spans two dates, and formatToParts costs ~25 µs, more than the rest of a budget's progress.
const lastAnswers = new Map<string, { second: number; date: string }>();

/**
 * The calendar date (`YYYY-MM-DD`) a person in `timeZone` sees at `instant`: "today" for a user in
 * Auckland is often tomorrow in UTC, and yesterday in Honolulu.
 */
export function zonedDate(instant: Date, timeZone: string): string {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastAnswers.get(timeZone);
  if (last !== undefined && last.second === second) return last.date;
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  const date = `${year.padStart(4, '0')}-${month}-${day}`;
  // Only zones already validated by the formatter get here, so the map stays as small as that one.
  lastAnswers.set(timeZone, { second, date });
  return date;
}
