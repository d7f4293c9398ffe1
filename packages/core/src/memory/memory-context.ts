import { FinkitError, notFound } from '../errors/finkit-error.js';
import { defaultCategories } from '../schemas/category.js';
import type { MemoryState } from './memory-state.js';

/** What every memory repository shares: the current snapshot, the write step and ids. */
export interface MemoryContext {
  read(): MemoryState;
  /** Runs `fn` on the state, undoing its changes if it throws: all or nothing. */
  write<T>(fn: (draft: MemoryState, now: Date) => T): T;
  newId(): string;
}

/** Callers get copies, so mutating a result never reaches the store. */
export const copyOut = <T>(value: T): T => structuredClone(value);

/** The row when it exists and is the user's; another user's row looks missing. */
export function ownedRow<T extends { userId: string | null }>(
  rows: ReadonlyMap<string, T>,
  userId: string,
  id: string,
): T | null {
  const row = rows.get(id);
  return row !== undefined && row.userId === userId ? row : null;
}

/** @throws NOT_FOUND unless the row exists and is the user's. */
export function requireOwned<T extends { userId: string | null }>(
  rows: ReadonlyMap<string, T>,
  userId: string,
  id: string,
  what: string,
): T {
  const row = ownedRow(rows, userId, id);
  if (row === null) throw notFound(what, id);
  return row;
}

const defaultCategoryIds = new Set<string>(defaultCategories.map((category) => category.id));

export const isDefaultCategoryId = (id: string): boolean => defaultCategoryIds.has(id);

/** @throws VALIDATION unless `categoryId` is a default or one of the user's categories. */
export function assertKnownCategory(state: MemoryState, userId: string, categoryId: string): void {
  if (isDefaultCategoryId(categoryId) || ownedRow(state.categories, userId, categoryId) !== null) return;
  throw new FinkitError('VALIDATION', `Unknown category ${categoryId}`, { details: { categoryId } });
}

/** The keys of `patch` whose value is not undefined, so `{ name: undefined }` changes nothing. */
export function definedEntries<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
