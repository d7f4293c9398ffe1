import { notFound } from '../errors/finkit-error.js';

/** Turns a store's `null` into the NOT_FOUND error an API caller expects. */
export function requireFound<T>(value: T | null | undefined, what: string, id: string): T {
  if (value === null || value === undefined) throw notFound(what, id);
  return value;
}
