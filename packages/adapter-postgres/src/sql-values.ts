import { FinkitError } from '@finkit/core';

/** An int8 or numeric value as a JS number; money must stay a safe integer to cross the boundary. */
export function toSafeNumber(value: string | number | bigint): number {
  const result = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(result)) {
    throw new FinkitError('INTERNAL', `Stored integer ${String(value)} is not a safe JS integer`);
  }
  return result;
}

export function toNullableSafeNumber(value: string | number | bigint | null): number | null {
  return value === null ? null : toSafeNumber(value);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A `date` column as `YYYY-MM-DD`. `pg` parses dates to local midnight by default, so the local
 * fields are the calendar date; a pool configured to return strings passes through unchanged.
 */
export function toIsoDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  return `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

export function toNullableIsoDate(value: Date | string | null): string | null {
  return value === null ? null : toIsoDate(value);
}

/** pgvector's text form. */
export function toVectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** The entries of `patch` whose value is not undefined, so `{ name: undefined }` changes nothing. */
export function definedEntries<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
