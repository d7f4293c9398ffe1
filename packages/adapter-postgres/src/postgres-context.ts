import { type Clock, defaultCategories, FinkitError, notFound } from '@finkit/core';
import { type Kysely, sql } from 'kysely';
import type { Pool } from 'pg';
import type { Database } from './database.js';
import type { PreparedStatements } from './prepared-statements.js';

/** What every repository shares. */
export interface PostgresContext {
  db: Kysely<Database>;
  clock: Clock;
  newId(): string;
  /** The embedding column's pgvector dimension; null when it has none; undefined without pgvector. */
  vectorDimensions: number | null | undefined;
  /** The `pg.Pool` behind `db` when the store was given one: applySyncBatch checks out a client to COPY on. */
  pool?: Pool;
  /** Present on a `pg.Pool` unless turned off: hot reads run as prepared statements. */
  prepared?: PreparedStatements;
}

const defaultCategoryIds = new Set<string>(defaultCategories.map((category) => category.id));
export const isDefaultCategoryId = (id: string): boolean => defaultCategoryIds.has(id);

/** @throws VALIDATION unless every id is a default category or one of the user's own. */
export async function assertKnownCategories(
  db: Kysely<Database>,
  userId: string,
  categoryIds: Iterable<string>,
): Promise<void> {
  const wanted = [...new Set(categoryIds)].filter((id) => !isDefaultCategoryId(id));
  if (wanted.length === 0) return;
  const found = await db
    .selectFrom('categories')
    .select('id')
    .where('user_id', '=', userId)
    .where(sql<boolean>`id = any(${wanted}::text[])`)
    .execute();
  const known = new Set(found.map((row) => row.id));
  const missing = wanted.find((id) => !known.has(id));
  if (missing !== undefined) {
    throw new FinkitError('VALIDATION', `Unknown category ${missing}`, { details: { categoryId: missing } });
  }
}

/** @throws NOT_FOUND unless the connection exists and is the user's; locks it when `forUpdate`. */
export async function requireConnection(
  db: Kysely<Database>,
  userId: string,
  connectionId: string,
  forUpdate = false,
) {
  let query = db
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', connectionId)
    .where('user_id', '=', userId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row === undefined) throw notFound('Connection', connectionId);
  return row;
}

const uniqueViolation = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === uniqueViolation
  );
}

/** Runs `write`, turning a unique violation into CONFLICT with `message`. */
export async function conflictOnUnique<T>(
  write: () => Promise<T>,
  message: string,
  details: Record<string, unknown> = {},
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new FinkitError('CONFLICT', message, { cause: error, details });
    throw error;
  }
}
