import { FinkitError } from '../errors/finkit-error.js';

/** The position after the last row of a page ordered by (date desc, id desc). */
export interface KeysetPosition {
  date: string;
  id: string;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** An opaque base64url token naming a position; stores pass it back and forth unchanged. */
export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.date, position.id]), 'utf8').toString('base64url');
}

/** @throws VALIDATION when the token was not made by `encodeKeysetCursor`. */
export function decodeKeysetCursor(cursor: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalidCursor(cursor, cause);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !datePattern.test(parsed[0]) ||
    parsed[1].length === 0
  ) {
    throw invalidCursor(cursor);
  }
  return { date: parsed[0], id: parsed[1] };
}

/**
 * Compares rows in page order (date desc, id desc): negative when `a` comes first. Ids compare by
 * UTF-16 code unit, which a SQL store matches with a binary collation (`COLLATE "C"`).
 */
export function compareKeyset(a: KeysetPosition, b: KeysetPosition): number {
  if (a.date !== b.date) return a.date > b.date ? -1 : 1;
  if (a.id !== b.id) return a.id > b.id ? -1 : 1;
  return 0;
}

/** @throws VALIDATION unless `limit` is an integer in 1..1000. */
export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new FinkitError('VALIDATION', `Page limit must be an integer from 1 to 1000, got ${limit}`, {
      details: { limit },
    });
  }
}

function invalidCursor(cursor: string, cause?: unknown): FinkitError<'VALIDATION'> {
  return new FinkitError('VALIDATION', 'Malformed page cursor', {
    cause,
    details: { cursor: cursor.slice(0, 200) },
  });
}
